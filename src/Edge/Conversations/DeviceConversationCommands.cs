using System.Text;
using System.Text.Json;
using AppMsg.Common;
using AppMsg.Conversations;
using AppMsg.Messaging;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Conversations;

/// <summary>
/// The IM types a terminal sends to act on a conversation rather than to store a message (docs/protocol.md): <c>read</c>
/// (<c>content {"seq"}</c>: mark the conversation <c>to</c> read), <c>recall</c> (<c>content {"id"}</c>) and <c>typing</c>
/// (<c>content {}</c>: a transient indicator to <c>to</c>). Each is answered with an IMRESP like a message.
/// </summary>
public sealed class DeviceConversationCommands(IClusterClient cluster, MessageRecaller recaller, TypingThrottle typing)
{
    public const string Read = "read";
    public const string Recall = "recall";
    public const string Typing = "typing";

    private static readonly byte[] Empty = "{}"u8.ToArray();

    public static bool Handles(string type) => type is Read or Recall or Typing;

    /// <summary>Carries out the command of <paramref name="userId"/>'s session; the target is checked as for a message.</summary>
    /// <exception cref="AppMsgException">As the grains answer: <c>forbidden</c>, <c>validation_failed</c>, <c>not_found</c>, <c>unavailable</c>.</exception>
    public async Task<(ImResultCode Code, ReadOnlyMemory<byte> Answer)> HandleAsync(SessionInfo session, string userId, Address target, string type, string content)
    {
        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        switch (type)
        {
            case Read:
                if (!root.TryGetProperty("seq", out var seq) || !seq.TryGetInt64(out var upTo) || upTo < 0)
                {
                    return (ImResultCode.BadRequest, default);
                }

                var mark = await cluster.GetGrain<IUserConversationsGrain>(userId).MarkReadAsync(target.ToString(), upTo, session.SessionId);
                return (ImResultCode.Ok, JsonSerializer.SerializeToUtf8Bytes(new { conversation = mark.Conversation, seq = mark.Seq, unread = mark.Unread }));
            case Recall:
                if (!root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || !Ids.IsValid(id.GetString()))
                {
                    return (ImResultCode.BadRequest, default);
                }

                await recaller.RecallAsync(id.GetString()!, $"{userId}@user", session.TenantId, isApp: false);
                return (ImResultCode.Ok, Empty);
            default:
                if (target.Kind is not (AddressKind.User or AddressKind.Qun))
                {
                    return (ImResultCode.NotAllowed, default);
                }

                if (typing.TryPass(session.SessionId))
                {
                    var from = $"{userId}@user";
                    var conversation = target.Kind == AddressKind.Qun ? target.ToString() : from;
                    await cluster.GetGrain<ITimelineGrain>(target.ToString()).SignalAsync(ConversationEvents.Typing(conversation, from), session.SessionId);
                }

                return (ImResultCode.Ok, Empty);
        }
    }
}
