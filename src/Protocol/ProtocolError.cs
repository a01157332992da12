namespace AppMsg.Protocol;

/// <summary>A protocol violation found by a parser: a code for programs and a short reason for logs.</summary>
/// <remarks>Reasons are constant strings, so reporting an error does not allocate.</remarks>
public readonly struct ProtocolError : IEquatable<ProtocolError>
{
    /// <summary>Creates an error.</summary>
    public ProtocolError(ProtocolErrorCode code, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Code = code;
        this.reason = reason;
    }

    private readonly string? reason;

    /// <summary>No error.</summary>
    public static ProtocolError None => default;

    /// <summary>The kind of violation.</summary>
    public ProtocolErrorCode Code { get; }

    /// <summary>A short human-readable reason, suitable for a log line.</summary>
    public string Reason => reason ?? string.Empty;

    /// <summary>Whether this is an actual error (not <see cref="None"/>).</summary>
    public bool IsError => Code != ProtocolErrorCode.None;

    /// <inheritdoc/>
    public bool Equals(ProtocolError other) => Code == other.Code && Reason == other.Reason;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ProtocolError other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, Reason);

    /// <summary>The code and the reason, for logs.</summary>
    public override string ToString() => IsError ? $"{Code}: {Reason}" : "None";

    /// <summary>Compares two errors by code and reason.</summary>
    public static bool operator ==(ProtocolError left, ProtocolError right) => left.Equals(right);

    /// <summary>Compares two errors by code and reason.</summary>
    public static bool operator !=(ProtocolError left, ProtocolError right) => !left.Equals(right);
}
