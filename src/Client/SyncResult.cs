using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>The server's answer to SYNC (SYNCRESP). The messages themselves arrive as <see cref="PushEvent"/>s.</summary>
/// <param name="Code">The SYNCRESP code.</param>
/// <param name="Complete">Whether the server sent everything the terminal missed (<c>complete</c>).</param>
/// <param name="Json">The JSON object that came with the code (without <c>code</c>), empty when none came.</param>
public sealed record SyncResult(SyncResultCode Code, bool Complete, ReadOnlyMemory<byte> Json)
{
    /// <summary>Whether the SYNC was answered.</summary>
    public bool IsSuccess => Code == SyncResultCode.Ok;

    internal static SyncResult FromResponse(ResponseMessage response)
    {
        var fields = ResponseJson.Read(response.Json);
        return new SyncResult((SyncResultCode)response.Code, fields.Boolean("complete") ?? false, fields.WithoutCode);
    }
}
