using System.Text.Json;
using AppMsg.Conversations;
using AppMsg.Edge.Cluster;
using AppMsg.Edge.Conversations;

namespace AppMsg.Edge.Api;

/// <summary>
/// Conversations (docs/messaging.md): a user's list with unread counts, read marks over HTTP, read counts of qun
/// messages, and recall.
/// </summary>
public static class ConversationEndpoints
{
    public sealed record ReadRequest(long? Seq);

    public static IEndpointRouteBuilder MapConversations(this IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/users/{userId}/conversations", async (string userId, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            var user = await GetOwnAsync(userId, caller, cluster);
            var page = await cluster.GetGrain<IUserConversationsGrain>(user).ListAsync(after, Validate.Limit(limit));
            return Results.Ok(new
            {
                conversations = page.Conversations.Select(c => new
                {
                    address = c.Address,
                    lastMessage = c.LastMessage is { } envelope ? JsonDocument.Parse(envelope).RootElement : (JsonElement?)null,
                    unread = c.Unread,
                    lastSeq = c.LastSeq,
                    readSeq = c.ReadSeq,
                    peerReadAt = c.PeerReadAtMs == 0 ? (long?)null : c.PeerReadAtMs,
                }),
                next = page.Next,
            });
        });

        api.MapPost("/v1/users/{userId}/conversations/{address}/read", async (string userId, string address, ReadRequest body, Caller caller, IClusterClient cluster) =>
        {
            var user = await GetOwnAsync(userId, caller, cluster);
            if (body.Seq is not { } seq || seq < 0)
            {
                throw AppMsgException.Invalid("seq", "seq must be a number of 0 or more");
            }

            var mark = await cluster.GetGrain<IUserConversationsGrain>(user).MarkReadAsync(address, seq, bySessionId: null);
            return Results.Ok(new { conversation = mark.Conversation, seq = mark.Seq, unread = mark.Unread });
        });

        api.MapGet("/v1/messages/{messageId}/reads", async (string messageId, Caller caller, IClusterClient cluster, AddressTenants tenants) =>
        {
            Validate.Id(messageId, "message");
            var grain = cluster.GetGrain<IStoredMessageGrain>(messageId);
            var message = await grain.GetAsync() ?? throw AppMsgException.NotFound("message");
            await EnsureSenderOrModeratorAsync(message, caller, tenants);
            var reads = await grain.CountReadsAsync();
            return Results.Ok(new { messageId = reads.MessageId, read = reads.Read, members = reads.Members });
        });

        api.MapPost("/v1/messages/{messageId}/recall", async (string messageId, Caller caller, MessageRecaller recaller) =>
        {
            Validate.Id(messageId, "message");
            await recaller.RecallAsync(messageId, caller.Address?.ToString(), caller.TenantId, caller.Kind == CallerKind.App);
            return Results.NoContent();
        });
        return api;
    }

    /// <summary>The user itself and the operator; an app of the user's tenant is refused (403), anyone else finds no user (404).</summary>
    private static async Task<string> GetOwnAsync(string userId, Caller caller, IClusterClient cluster)
    {
        var user = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
        if (caller.Kind == CallerKind.App)
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "a user's conversations are the user's own");
        }

        return user.Id;
    }

    /// <summary>The sender, the operator and the apps of the message's tenant; 404 for anyone else.</summary>
    private static async Task EnsureSenderOrModeratorAsync(StoredMessageInfo message, Caller caller, AddressTenants tenants)
    {
        if (caller.IsOperator || caller.Address?.ToString() == message.Sender)
        {
            return;
        }

        if (caller.Kind == CallerKind.App && Common.Address.TryParse(message.Timeline, out var timeline) && await tenants.TenantOfAsync(timeline) == caller.TenantId)
        {
            return;
        }

        throw AppMsgException.NotFound("message");
    }
}
