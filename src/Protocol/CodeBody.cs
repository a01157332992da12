namespace AppMsg.Protocol;

/// <summary>
/// A binary body that is one leading byte (a code, reason or flag) and then optional bytes: PUSHRESP, KICKRESP,
/// CBRESP (the rest is the terminal's answer), IMRESP, and on the terminal's side REGRESP, PONG, KICK, SYNCRESP
/// and down IM (the leading byte is the flag, the rest the envelope).
/// </summary>
public static class CodeBody
{
    /// <summary>Splits a decoded body into its leading byte and the rest; an empty body is an error.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out byte code, out ReadOnlySpan<byte> rest, out ProtocolError error)
    {
        if (body.IsEmpty)
        {
            code = 0;
            rest = default;
            error = ProtocolErrors.EmptyResponse;
            return false;
        }

        code = body[0];
        rest = body[1..];
        error = default;
        return true;
    }
}
