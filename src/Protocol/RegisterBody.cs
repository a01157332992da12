using System.Diagnostics.CodeAnalysis;

namespace AppMsg.Protocol;

/// <summary>
/// The binary REGISTER body: version u8, terminal type u8, id [32], token [32], the last two NUL-padded
/// printable ASCII; 66 bytes exactly.
/// </summary>
public static class RegisterBody
{
    private const int IdOffset = 2;
    private const int TokenOffset = IdOffset + ProtocolLimits.RegisterFieldLength;

    /// <summary>Parses a decoded REGISTER body.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body, [NotNullWhen(true)] out RegisterRequest? request, out ProtocolError error)
    {
        request = null;
        if (body.Length != ProtocolLimits.RegisterBodyLength)
        {
            error = ProtocolErrors.RegisterLength;
            return false;
        }

        if (!AsciiField.TryReadPadded(body.Slice(IdOffset, ProtocolLimits.RegisterFieldLength), out var id))
        {
            error = ProtocolErrors.IdNotAscii;
            return false;
        }

        if (!AsciiField.TryReadPadded(body.Slice(TokenOffset, ProtocolLimits.RegisterFieldLength), out var token))
        {
            error = ProtocolErrors.TokenNotAscii;
            return false;
        }

        error = default;
        request = new RegisterRequest(body[0], (TerminalType)body[1], id, token);
        return true;
    }

    /// <summary>Writes <paramref name="request"/> as a 66-byte body (not yet encoded).</summary>
    /// <exception cref="ArgumentException">The id or token is longer than 32 characters or not printable ASCII, or the destination is short.</exception>
    public static void Write(RegisterRequest request, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (destination.Length < ProtocolLimits.RegisterBodyLength)
        {
            throw new ArgumentException("The destination is shorter than a REGISTER body.", nameof(destination));
        }

        destination[0] = request.Version;
        destination[1] = (byte)request.TerminalType;
        AsciiField.WritePadded(request.Id, destination.Slice(IdOffset, ProtocolLimits.RegisterFieldLength), nameof(request));
        AsciiField.WritePadded(request.Token, destination.Slice(TokenOffset, ProtocolLimits.RegisterFieldLength), nameof(request));
    }
}
