using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>The server's answer to REGISTER (REGRESP).</summary>
/// <param name="Code">The REGRESP code; <see cref="RegisterResultCode.Ok"/> when registered.</param>
/// <param name="SessionId">The session id the server gave, when it sent one.</param>
/// <param name="Heartbeat">The heartbeat interval the server asks for, when it sent one.</param>
/// <param name="ServerTime">The server's clock when it answered, when it sent it.</param>
public sealed record RegisterResult(RegisterResultCode Code, string? SessionId, TimeSpan? Heartbeat, DateTimeOffset? ServerTime)
{
    /// <summary>Whether the terminal is registered.</summary>
    public bool IsSuccess => Code == RegisterResultCode.Ok;

    /// <summary>Reads a REGRESP's code and its optional JSON (<c>sessionId</c>, <c>heartbeat</c> seconds, <c>serverTime</c> Unix ms).</summary>
    internal static RegisterResult FromResponse(ResponseMessage response)
    {
        var fields = ResponseJson.Read(response.Json);
        var heartbeat = fields.Number("heartbeat") is { } seconds and > 0 and < int.MaxValue ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var serverTime = fields.Number("serverTime") is { } ms and >= 0 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null;
        return new RegisterResult((RegisterResultCode)response.Code, fields.String("sessionId"), heartbeat, serverTime);
    }
}
