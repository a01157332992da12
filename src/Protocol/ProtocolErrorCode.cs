namespace AppMsg.Protocol;

/// <summary>What kind of protocol violation a parser found.</summary>
public enum ProtocolErrorCode
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The message type is 0 or not one this library knows.</summary>
    UnknownType = 1,
    /// <summary>A binary frame announces a body longer than the configured maximum.</summary>
    BodyTooLarge = 2,
    /// <summary>A binary body has the wrong size for its type.</summary>
    InvalidBodyLength = 3,
    /// <summary>A field holds a value its type does not allow (non-ASCII, bad padding, out of range).</summary>
    InvalidField = 4,
    /// <summary>The input is not well-formed UTF-8 JSON.</summary>
    InvalidJson = 5,
    /// <summary>A required JSON field is absent.</summary>
    MissingField = 6,
    /// <summary>A JSON field has the wrong JSON type (for example a string where a number belongs).</summary>
    InvalidFieldType = 7,
    /// <summary>A text message is longer than the configured maximum.</summary>
    MessageTooLarge = 8,
    /// <summary>A galopush web-framed message is not valid base64.</summary>
    InvalidBase64 = 9,
}
