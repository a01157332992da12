using System.Buffers;

namespace AppMsg.Protocol;

/// <summary>
/// A binary frame as read from the input: its header and its still-encoded body, a slice of the input
/// buffer. The body is valid only until the input buffer is released (for a pipe, until <c>AdvanceTo</c>).
/// </summary>
public readonly struct Frame
{
    /// <summary>Creates a frame from a header and its encoded body.</summary>
    /// <exception cref="ArgumentException">The body length does not match the header.</exception>
    public Frame(FrameHeader header, ReadOnlySequence<byte> encodedBody)
    {
        if (encodedBody.Length != header.BodyLength)
        {
            throw new ArgumentException("The body length does not match the header.", nameof(encodedBody));
        }

        Header = header;
        EncodedBody = encodedBody;
    }

    /// <summary>The frame's header.</summary>
    public FrameHeader Header { get; }

    /// <summary>The body as received, before removing the encoding.</summary>
    public ReadOnlySequence<byte> EncodedBody { get; }

    /// <summary>The message type (from the header).</summary>
    public MessageType Type => Header.Type;

    /// <summary>The transaction id (from the header).</summary>
    public uint Tid => Header.Tid;

    /// <summary>The body encoding (from the header).</summary>
    public BodyEncoding Encoding => Header.Encoding;

    /// <summary>The body length in bytes (from the header; the maximum the reader enforces keeps it within <see cref="int"/>).</summary>
    public int BodyLength => (int)Header.BodyLength;

    /// <summary>Copies the body into <paramref name="destination"/> and removes its encoding there.</summary>
    /// <returns>The number of bytes written, <see cref="BodyLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the body.</exception>
    public int DecodeBodyTo(Span<byte> destination)
    {
        var length = BodyLength;
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is shorter than the body.", nameof(destination));
        }

        var body = destination[..length];
        EncodedBody.CopyTo(body);
        BodyEncodings.Decode(body, Encoding);
        return length;
    }

    /// <summary>Returns the decoded body in a new array (convenient where an allocation does not matter).</summary>
    public byte[] DecodeBodyToArray()
    {
        var body = new byte[BodyLength];
        DecodeBodyTo(body);
        return body;
    }
}
