using System.Buffers;

namespace AppMsg.Protocol;

/// <summary>
/// A binary frame built and encoded once, then written to many connections: each copy gets the
/// connection's own TID, which lies outside the encoded body and so is patched cheaply.
/// Build one per body encoding in use.
/// </summary>
public sealed class EncodedFrame
{
    private readonly byte[] bytes;

    private EncodedFrame(MessageType type, BodyEncoding encoding, byte[] bytes)
    {
        Type = type;
        Encoding = encoding;
        this.bytes = bytes;
    }

    /// <summary>The message type.</summary>
    public MessageType Type { get; }

    /// <summary>The body encoding.</summary>
    public BodyEncoding Encoding { get; }

    /// <summary>The size of the frame on the wire.</summary>
    public int Length => bytes.Length;

    /// <summary>The frame with TID 0.</summary>
    public ReadOnlyMemory<byte> Bytes => bytes;

    /// <summary>Builds a frame whose body is <paramref name="body"/> (not yet encoded).</summary>
    public static EncodedFrame Create(MessageType type, BodyEncoding encoding, ReadOnlySpan<byte> body) =>
        new(type, encoding, FrameWriter.ToArray(type, encoding, 0, body));

    /// <summary>Builds a PUSH (see <see cref="FrameWriter.WritePush"/>).</summary>
    public static EncodedFrame Push(BodyEncoding encoding, ushort offline, byte flag, ReadOnlySpan<byte> envelope)
    {
        Span<byte> prefix = stackalloc byte[PushBody.PrefixLength];
        FrameWriter.WritePushPrefix(prefix, offline, flag);
        return Build(MessageType.Push, encoding, prefix, envelope);
    }

    /// <summary>Builds a down IM (see <see cref="FrameWriter.WriteImDown"/>).</summary>
    public static EncodedFrame ImDown(BodyEncoding encoding, byte flag, ReadOnlySpan<byte> envelope) =>
        Build(MessageType.Im, encoding, [flag], envelope);

    /// <summary>Copies the frame into <paramref name="destination"/> with <paramref name="tid"/>.</summary>
    /// <returns>The number of bytes written, <see cref="Length"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the frame.</exception>
    public int CopyTo(Span<byte> destination, uint tid)
    {
        if (destination.Length < bytes.Length)
        {
            throw new ArgumentException("The destination is shorter than the frame.", nameof(destination));
        }

        bytes.CopyTo(destination);
        FrameWriter.SetTid(destination, tid);
        return bytes.Length;
    }

    /// <summary>Writes the frame to <paramref name="output"/> with <paramref name="tid"/>.</summary>
    public void WriteTo(IBufferWriter<byte> output, uint tid)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Advance(CopyTo(output.GetSpan(bytes.Length), tid));
    }

    /// <summary>Returns a new array holding the frame with <paramref name="tid"/>.</summary>
    public byte[] ToArray(uint tid)
    {
        var copy = new byte[bytes.Length];
        CopyTo(copy, tid);
        return copy;
    }

    private static EncodedFrame Build(MessageType type, BodyEncoding encoding, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[FrameWriter.GetFrameLength(type, checked(prefix.Length + payload.Length))];
        FrameWriter.WriteTo(bytes, type, encoding, 0, prefix, payload);
        return new EncodedFrame(type, encoding, bytes);
    }
}
