namespace AppMsg.Protocol;

/// <summary>The errors the parsers report, created once.</summary>
internal static class ProtocolErrors
{
    public static readonly ProtocolError UnknownType =
        new(ProtocolErrorCode.UnknownType, "unknown message type");

    public static readonly ProtocolError BodyTooLarge =
        new(ProtocolErrorCode.BodyTooLarge, "body length above the maximum");

    public static readonly ProtocolError RegisterLength =
        new(ProtocolErrorCode.InvalidBodyLength, "REGISTER body must be 66 or 98 bytes");

    public static readonly ProtocolError EmptyResponse =
        new(ProtocolErrorCode.InvalidBodyLength, "response body must hold at least a code byte");

    public static readonly ProtocolError PushTooShort =
        new(ProtocolErrorCode.InvalidBodyLength, "PUSH body must hold at least offline and flag");

    public static readonly ProtocolError IdNotAscii =
        new(ProtocolErrorCode.InvalidField, "REGISTER id must be printable ASCII, NUL-padded");

    public static readonly ProtocolError TokenNotAscii =
        new(ProtocolErrorCode.InvalidField, "REGISTER token must be printable ASCII, NUL-padded");

    public static readonly ProtocolError DeviceIdNotAscii =
        new(ProtocolErrorCode.InvalidField, "REGISTER device id must be printable ASCII, NUL-padded");

    public static readonly ProtocolError DeviceIdTooLong =
        new(ProtocolErrorCode.InvalidField, "REGISTER deviceId must be printable ASCII of at most 32 characters");

    public static readonly ProtocolError IdTooLong =
        new(ProtocolErrorCode.InvalidField, "REGISTER id must be printable ASCII of at most 32 characters");

    public static readonly ProtocolError TokenTooLong =
        new(ProtocolErrorCode.InvalidField, "REGISTER token must be printable ASCII of at most 32 characters");

    public static readonly ProtocolError NotUtf8 =
        new(ProtocolErrorCode.InvalidJson, "not valid UTF-8");

    public static readonly ProtocolError MalformedJson =
        new(ProtocolErrorCode.InvalidJson, "malformed JSON");

    public static readonly ProtocolError NotAnObject =
        new(ProtocolErrorCode.InvalidJson, "JSON must be one object");

    public static readonly ProtocolError DuplicateField =
        new(ProtocolErrorCode.InvalidJson, "duplicate JSON field");

    public static readonly ProtocolError MessageTooLarge =
        new(ProtocolErrorCode.MessageTooLarge, "text message longer than the maximum");

    public static readonly ProtocolError MissingCmd =
        new(ProtocolErrorCode.MissingField, "missing \"cmd\"");

    public static readonly ProtocolError MissingTid =
        new(ProtocolErrorCode.MissingField, "missing \"tid\"");

    public static readonly ProtocolError CmdNotNumber =
        new(ProtocolErrorCode.InvalidFieldType, "\"cmd\" must be a number");

    public static readonly ProtocolError TidNotNumber =
        new(ProtocolErrorCode.InvalidFieldType, "\"tid\" must be a number");

    public static readonly ProtocolError TidOutOfRange =
        new(ProtocolErrorCode.InvalidField, "\"tid\" must be an integer 0..4294967295");

    public static readonly ProtocolError DataNotObject =
        new(ProtocolErrorCode.InvalidFieldType, "\"data\" must be an object");

    public static readonly ProtocolError MissingVersion =
        new(ProtocolErrorCode.MissingField, "missing \"version\"");

    public static readonly ProtocolError MissingTermType =
        new(ProtocolErrorCode.MissingField, "missing \"termType\"");

    public static readonly ProtocolError MissingCode =
        new(ProtocolErrorCode.MissingField, "missing \"code\"");

    public static readonly ProtocolError MissingMsg =
        new(ProtocolErrorCode.MissingField, "missing \"msg\"");

    public static readonly ProtocolError ByteFieldNotNumber =
        new(ProtocolErrorCode.InvalidFieldType, "\"version\", \"termType\" and \"code\" must be numbers");

    public static readonly ProtocolError ByteFieldOutOfRange =
        new(ProtocolErrorCode.InvalidField, "\"version\", \"termType\" and \"code\" must be integers 0..255");

    public static readonly ProtocolError IdNotString =
        new(ProtocolErrorCode.InvalidFieldType, "\"id\" and \"token\" must be strings");

    public static readonly ProtocolError MsgNotObject =
        new(ProtocolErrorCode.InvalidFieldType, "\"msg\" must be an object");

    public static readonly ProtocolError CursorsNotObject =
        new(ProtocolErrorCode.InvalidFieldType, "\"cursors\" must be an object");

    public static readonly ProtocolError CursorNotNumber =
        new(ProtocolErrorCode.InvalidFieldType, "a cursor must be a number");

    public static readonly ProtocolError CursorOutOfRange =
        new(ProtocolErrorCode.InvalidField, "a cursor must be an integer 0..2^63-1");

    public static readonly ProtocolError CursorTimelineEmpty =
        new(ProtocolErrorCode.InvalidField, "a cursor's timeline must not be empty");

    public static readonly ProtocolError TooManyCursors =
        new(ProtocolErrorCode.InvalidField, "too many cursors");

    public static readonly ProtocolError InvalidBase64 =
        new(ProtocolErrorCode.InvalidBase64, "galopush web frame is not valid base64");

    public static readonly ProtocolError UnwrappedNotJson =
        new(ProtocolErrorCode.InvalidJson, "galopush web frame does not hold a JSON object");
}
