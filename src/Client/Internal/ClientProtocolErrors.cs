using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>Protocol violations the client finds in what the server sends.</summary>
internal static class ClientProtocolErrors
{
    public static readonly ProtocolError NotDownType =
        new(ProtocolErrorCode.UnknownType, "a message type the server does not send");

    public static readonly ProtocolError MissingReason =
        new(ProtocolErrorCode.MissingField, "missing \"reason\"");

    public static readonly ProtocolError BadNumber =
        new(ProtocolErrorCode.InvalidField, "\"offline\", \"flag\" and \"reason\" must be integers in range");

    public static readonly ProtocolError MissingMsg =
        new(ProtocolErrorCode.MissingField, "missing \"msg\"");

    public static readonly ProtocolError MsgNotObject =
        new(ProtocolErrorCode.InvalidFieldType, "\"msg\" must be an object");

    public static readonly ProtocolError MalformedJson =
        new(ProtocolErrorCode.InvalidJson, "malformed JSON");

    public static readonly ProtocolError TextTooLarge =
        new(ProtocolErrorCode.MessageTooLarge, "text message longer than the maximum");

    public static readonly ProtocolError WrongMessageKind =
        new(ProtocolErrorCode.InvalidFieldType, "a WebSocket message of the other kind (text and binary mixed)");
}
