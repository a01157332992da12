using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>A message the client sends, independent of the transport's form (binary frame or JSON text).</summary>
internal readonly struct OutboundMessage
{
    private OutboundMessage(MessageType type, uint tid, byte code, ReadOnlyMemory<byte> payload, RegisterRequest? register)
    {
        Type = type;
        Tid = tid;
        Code = code;
        Payload = payload;
        Register = register;
    }

    public MessageType Type { get; }

    public uint Tid { get; }

    /// <summary>The code of a response (PUSHRESP, IMRESP, KICKRESP, CBRESP).</summary>
    public byte Code { get; }

    /// <summary>The UTF-8 JSON of an up IM or a SYNC, or the answer bytes of a CBRESP.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The fields of a REGISTER.</summary>
    public RegisterRequest? Register { get; }

    public static OutboundMessage ForRegister(uint tid, RegisterRequest request) => new(MessageType.Register, tid, 0, default, request);

    public static OutboundMessage ForPing(uint tid) => new(MessageType.Ping, tid, 0, default, null);

    /// <summary>PUSHRESP, IMRESP, KICKRESP or CBRESP (whose <paramref name="answer"/> is the terminal's answer).</summary>
    public static OutboundMessage ForResponse(MessageType type, uint tid, byte code, ReadOnlyMemory<byte> answer = default) =>
        new(type, tid, code, answer, null);

    public static OutboundMessage ForImUp(uint tid, ReadOnlyMemory<byte> json) => new(MessageType.Im, tid, 0, json, null);

    public static OutboundMessage ForSync(uint tid, ReadOnlyMemory<byte> json) => new(MessageType.Sync, tid, 0, json, null);
}
