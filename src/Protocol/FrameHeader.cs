using System.Buffers.Binary;

namespace AppMsg.Protocol;

/// <summary>
/// The header of a binary frame: byte 0 is <c>encoding &lt;&lt; 6 | type</c>, then the TID (uint32, big-endian),
/// then the body length (uint32, big-endian), which a PING frame does not have.
/// </summary>
public readonly struct FrameHeader : IEquatable<FrameHeader>
{
    /// <summary>The size of a header with a body length: every frame except PING.</summary>
    public const int Size = 9;

    /// <summary>The size of a PING frame, which is all header.</summary>
    public const int PingSize = 5;

    /// <summary>Creates a header.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The type or encoding is not defined, or a PING has a body.</exception>
    public FrameHeader(MessageType type, BodyEncoding encoding, uint tid, uint bodyLength)
    {
        if (!type.IsKnown())
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown message type.");
        }

        if (!BodyEncodings.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown body encoding.");
        }

        if (type == MessageType.Ping && bodyLength != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bodyLength), bodyLength, "A PING frame has no body.");
        }

        Type = type;
        Encoding = encoding;
        Tid = tid;
        BodyLength = bodyLength;
    }

    /// <summary>The message type.</summary>
    public MessageType Type { get; }

    /// <summary>The encoding of the body.</summary>
    public BodyEncoding Encoding { get; }

    /// <summary>The transaction id; a response carries the TID of its request.</summary>
    public uint Tid { get; }

    /// <summary>The number of body bytes that follow the header (always 0 for PING).</summary>
    public uint BodyLength { get; }

    /// <summary>The size of this header on the wire: <see cref="PingSize"/> for PING, else <see cref="Size"/>.</summary>
    public int Length => HeaderLengthOf(Type);

    /// <summary>The size of the whole frame on the wire: header and body.</summary>
    public long FrameLength => Length + (long)BodyLength;

    /// <summary>The size of the header of a frame of <paramref name="type"/>.</summary>
    public static int HeaderLengthOf(MessageType type) => type == MessageType.Ping ? PingSize : Size;

    /// <summary>Writes the header to the start of <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written (<see cref="Length"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        var length = Length;
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too short for the header.", nameof(destination));
        }

        destination[0] = (byte)(((int)Encoding << 6) | (int)Type);
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], Tid);
        if (length == Size)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[5..], BodyLength);
        }

        return length;
    }

    /// <summary>
    /// Parses a header from the start of <paramref name="source"/>. The type is checked as soon as the first
    /// byte is there, so an unknown type is reported without waiting for the rest of the header.
    /// </summary>
    /// <returns>
    /// <see cref="FrameReadStatus.Frame"/> with the header (the body length is not checked against any maximum),
    /// <see cref="FrameReadStatus.NeedMoreData"/> when <paramref name="source"/> ends inside the header,
    /// or <see cref="FrameReadStatus.Error"/> for an unknown type.
    /// </returns>
    public static FrameReadStatus TryParse(ReadOnlySpan<byte> source, out FrameHeader header, out ProtocolError error)
    {
        header = default;
        error = default;
        if (source.IsEmpty)
        {
            return FrameReadStatus.NeedMoreData;
        }

        var type = (MessageType)(source[0] & 0x3F);
        if (!type.IsKnown())
        {
            error = ProtocolErrors.UnknownType;
            return FrameReadStatus.Error;
        }

        var length = HeaderLengthOf(type);
        if (source.Length < length)
        {
            return FrameReadStatus.NeedMoreData;
        }

        var encoding = (BodyEncoding)(source[0] >> 6);
        var tid = BinaryPrimitives.ReadUInt32BigEndian(source[1..]);
        var bodyLength = length == Size ? BinaryPrimitives.ReadUInt32BigEndian(source[5..]) : 0u;
        header = new FrameHeader(type, encoding, tid, bodyLength);
        return FrameReadStatus.Frame;
    }

    /// <inheritdoc/>
    public bool Equals(FrameHeader other) =>
        Type == other.Type && Encoding == other.Encoding && Tid == other.Tid && BodyLength == other.BodyLength;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FrameHeader other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Encoding, Tid, BodyLength);

    /// <summary>The fields, for logs.</summary>
    public override string ToString() => $"{Type} tid={Tid} encoding={Encoding} body={BodyLength}";

    /// <summary>Compares all four fields.</summary>
    public static bool operator ==(FrameHeader left, FrameHeader right) => left.Equals(right);

    /// <summary>Compares all four fields.</summary>
    public static bool operator !=(FrameHeader left, FrameHeader right) => !left.Equals(right);
}
