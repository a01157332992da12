namespace AppMsg.Protocol;

/// <summary>A parsed REGISTER, from a binary body or from the JSON form.</summary>
/// <param name="Version">The protocol version the terminal speaks.</param>
/// <param name="TerminalType">The terminal type as sent; not checked here (the server answers code 5 when it is not exactly one type).</param>
/// <param name="Id">The user id, printable ASCII, at most 32 characters; empty for an anonymous session.</param>
/// <param name="Token">The token login returned, printable ASCII, at most 32 characters; empty for an anonymous session.</param>
/// <param name="DeviceId">The terminal's own stable id, printable ASCII, at most 32 characters; empty when the terminal
/// names none (then its read position is shared with the user's other terminals of its type).</param>
public sealed record RegisterRequest(byte Version, TerminalType TerminalType, string Id, string Token, string DeviceId = "")
{
    /// <summary>Whether both the id and the token are empty: an anonymous session.</summary>
    public bool IsAnonymous => Id.Length == 0 && Token.Length == 0;

    /// <summary>The fields for logs, with the token left out.</summary>
    public override string ToString() =>
        $"RegisterRequest {{ Version = {Version}, TerminalType = {TerminalType}, Id = {Id}, DeviceId = {DeviceId}, Token = {(Token.Length == 0 ? "(empty)" : "(redacted)")} }}";
}
