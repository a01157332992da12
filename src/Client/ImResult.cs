using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>The server's answer to an up IM (IMRESP).</summary>
/// <param name="Code">The IMRESP code; <see cref="ImResultCode.Ok"/> once the message is durably stored.</param>
/// <param name="MessageId">The stored message's id (on success).</param>
/// <param name="Timeline">The timeline the message was stored in (on success).</param>
/// <param name="Seq">The message's number in its timeline (on success).</param>
/// <param name="Json">The JSON object that came with the code (without <c>code</c>), empty when none came.</param>
public sealed record ImResult(ImResultCode Code, string? MessageId, string? Timeline, long? Seq, ReadOnlyMemory<byte> Json)
{
    /// <summary>
    /// For a message to a user: the seq of its copy in this user's own inbox (the user's other terminals get the copy;
    /// this one does not, and does not count that seq as a gap). Null for other messages and older servers.
    /// </summary>
    public long? SenderCopySeq { get; init; }

    /// <summary>Whether the message was stored.</summary>
    public bool IsSuccess => Code == ImResultCode.Ok;

    internal static ImResult FromResponse(ResponseMessage response)
    {
        var fields = ResponseJson.Read(response.Json);
        return new ImResult(
            (ImResultCode)response.Code, fields.String("id"), fields.String("timeline"), fields.Number("seq"), fields.WithoutCode)
        {
            SenderCopySeq = fields.Number("senderCopySeq"),
        };
    }
}
