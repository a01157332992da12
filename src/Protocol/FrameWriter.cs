using System.Buffers;
using System.Buffers.Binary;

namespace AppMsg.Protocol;

/// <summary>
/// Writes binary frames. The body is copied into the destination and encoded there, so writing a frame
/// needs no buffer of its own. Arguments are trusted: invalid ones throw.
/// </summary>
public static class FrameWriter
{
    /// <summary>The size on the wire of a frame of <paramref name="type"/> with a body of <paramref name="bodyLength"/> bytes.</summary>
    public static int GetFrameLength(MessageType type, int bodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLength);
        return checked(FrameHeader.HeaderLengthOf(type) + bodyLength);
    }

    /// <summary>Writes a frame whose body is <paramref name="body"/> (not yet encoded).</summary>
    public static void Write(
        IBufferWriter<byte> output, MessageType type, BodyEncoding encoding, uint tid, ReadOnlySpan<byte> body) =>
        Write(output, type, encoding, tid, default, body);

    /// <summary>Writes a frame into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int WriteTo(
        Span<byte> destination, MessageType type, BodyEncoding encoding, uint tid, ReadOnlySpan<byte> body) =>
        WriteTo(destination, type, encoding, tid, default, body);

    /// <summary>Builds a whole frame in a new array, for example once for a fan-out (see also <see cref="EncodedFrame"/>).</summary>
    public static byte[] ToArray(MessageType type, BodyEncoding encoding, uint tid, ReadOnlySpan<byte> body)
    {
        var frame = new byte[GetFrameLength(type, body.Length)];
        WriteTo(frame, type, encoding, tid, default, body);
        return frame;
    }

    /// <summary>Replaces the TID of a frame already built, so one encoded frame can go to many connections.</summary>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is shorter than a PING frame.</exception>
    public static void SetTid(Span<byte> frame, uint tid)
    {
        if (frame.Length < FrameHeader.PingSize)
        {
            throw new ArgumentException("The frame is shorter than a frame header.", nameof(frame));
        }

        BinaryPrimitives.WriteUInt32BigEndian(frame[1..], tid);
    }

    /// <summary>Writes a REGRESP: the code, then optionally a UTF-8 JSON object (<c>sessionId</c>, <c>heartbeat</c>, <c>serverTime</c>).</summary>
    public static void WriteRegisterResponse(
        IBufferWriter<byte> output, BodyEncoding encoding, uint tid, RegisterResultCode code, ReadOnlySpan<byte> json = default) =>
        Write(output, MessageType.RegResp, encoding, tid, [(byte)code], json);

    /// <summary>Writes a PONG with its code.</summary>
    public static void WritePong(IBufferWriter<byte> output, BodyEncoding encoding, uint tid, PongCode code) =>
        Write(output, MessageType.Pong, encoding, tid, [(byte)code], default);

    /// <summary>Writes a PUSH: offline (u16; 0 live, non-zero replayed), flag (u8; 1 when a Web session is online), the envelope.</summary>
    public static void WritePush(
        IBufferWriter<byte> output, BodyEncoding encoding, uint tid, ushort offline, byte flag, ReadOnlySpan<byte> envelope)
    {
        Span<byte> prefix = stackalloc byte[3];
        WritePushPrefix(prefix, offline, flag);
        Write(output, MessageType.Push, encoding, tid, prefix, envelope);
    }

    /// <summary>Writes a down IM: flag (u8), then the envelope.</summary>
    public static void WriteImDown(
        IBufferWriter<byte> output, BodyEncoding encoding, uint tid, byte flag, ReadOnlySpan<byte> envelope) =>
        Write(output, MessageType.Im, encoding, tid, [flag], envelope);

    /// <summary>Writes a CALLBACK whose body is the JSON payload <c>{"id":..., "payload":...}</c>.</summary>
    public static void WriteCallback(IBufferWriter<byte> output, BodyEncoding encoding, uint tid, ReadOnlySpan<byte> payload) =>
        Write(output, MessageType.Callback, encoding, tid, default, payload);

    /// <summary>Writes a KICK with its reason.</summary>
    public static void WriteKick(IBufferWriter<byte> output, BodyEncoding encoding, uint tid, KickReason reason) =>
        Write(output, MessageType.Kick, encoding, tid, [(byte)reason], default);

    /// <summary>Writes an IMRESP: the code, then optionally a UTF-8 JSON object (<c>{"id","timeline","seq"}</c>).</summary>
    public static void WriteImResponse(
        IBufferWriter<byte> output, BodyEncoding encoding, uint tid, ImResultCode code, ReadOnlySpan<byte> json = default) =>
        Write(output, MessageType.ImResp, encoding, tid, [(byte)code], json);

    /// <summary>Writes a SYNCRESP: the code, then a UTF-8 JSON object (<c>{"complete": bool, ...}</c>).</summary>
    public static void WriteSyncResponse(
        IBufferWriter<byte> output, BodyEncoding encoding, uint tid, SyncResultCode code, ReadOnlySpan<byte> json) =>
        Write(output, MessageType.SyncResp, encoding, tid, [(byte)code], json);

    /// <summary>Writes a REGISTER (the terminal's side): version, terminal type, id, token and (when set) device id NUL-padded to 32 bytes.</summary>
    /// <exception cref="ArgumentException">The id or token is longer than 32 characters or not printable ASCII.</exception>
    public static void WriteRegister(IBufferWriter<byte> output, BodyEncoding encoding, uint tid, RegisterRequest request)
    {
        Span<byte> body = stackalloc byte[RegisterBody.LengthOf(request)];
        RegisterBody.Write(request, body);
        Write(output, MessageType.Register, encoding, tid, default, body);
    }

    /// <summary>Writes a PING (the terminal's side): 5 bytes, no body.</summary>
    public static void WritePing(IBufferWriter<byte> output, BodyEncoding encoding, uint tid) =>
        Write(output, MessageType.Ping, encoding, tid, default, default);

    /// <summary>
    /// Writes a response that is a code and optional extra bytes: PUSHRESP, KICKRESP, CBRESP (the extra bytes are
    /// the terminal's answer), IMRESP, or any other type whose body starts with a code.
    /// </summary>
    public static void WriteCodeResponse(
        IBufferWriter<byte> output, MessageType type, BodyEncoding encoding, uint tid, byte code, ReadOnlySpan<byte> extra = default) =>
        Write(output, type, encoding, tid, [code], extra);

    /// <summary>Writes an up IM (the terminal's side) whose body is the JSON message to send.</summary>
    public static void WriteImUp(IBufferWriter<byte> output, BodyEncoding encoding, uint tid, ReadOnlySpan<byte> json) =>
        Write(output, MessageType.Im, encoding, tid, default, json);

    /// <summary>Writes a SYNC (the terminal's side) whose body is the JSON <c>{"cursors": {...}}</c>.</summary>
    public static void WriteSync(IBufferWriter<byte> output, BodyEncoding encoding, uint tid, ReadOnlySpan<byte> json) =>
        Write(output, MessageType.Sync, encoding, tid, default, json);

    internal static void WritePushPrefix(Span<byte> prefix, ushort offline, byte flag)
    {
        BinaryPrimitives.WriteUInt16BigEndian(prefix, offline);
        prefix[2] = flag;
    }

    /// <summary>Writes a frame whose body is <paramref name="prefix"/> followed by <paramref name="payload"/>.</summary>
    internal static void Write(
        IBufferWriter<byte> output,
        MessageType type,
        BodyEncoding encoding,
        uint tid,
        ReadOnlySpan<byte> prefix,
        ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = GetFrameLength(type, checked(prefix.Length + payload.Length));
        var written = WriteTo(output.GetSpan(length), type, encoding, tid, prefix, payload);
        output.Advance(written);
    }

    internal static int WriteTo(
        Span<byte> destination,
        MessageType type,
        BodyEncoding encoding,
        uint tid,
        ReadOnlySpan<byte> prefix,
        ReadOnlySpan<byte> payload)
    {
        var bodyLength = checked(prefix.Length + payload.Length);
        var header = new FrameHeader(type, encoding, tid, (uint)bodyLength);
        if (destination.Length < header.FrameLength)
        {
            throw new ArgumentException("The destination is too short for the frame.", nameof(destination));
        }

        var headerLength = header.WriteTo(destination);
        var body = destination.Slice(headerLength, bodyLength);
        prefix.CopyTo(body);
        payload.CopyTo(body[prefix.Length..]);
        BodyEncodings.Encode(body, encoding);
        return headerLength + bodyLength;
    }
}
