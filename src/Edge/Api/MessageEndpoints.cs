using System.Text.Json;
using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Messaging;

namespace AppMsg.Edge.Api;

/// <summary><c>POST /v1/messages</c> (push) and <c>GET /v1/timelines/{address}/messages</c> (history).</summary>
public static class MessageEndpoints
{
    public const int MaxTargets = 1_000;
    private const string OperatorAddress = "operator@app";

    public sealed record SendRequest(string? From, List<string>? To, string? Type, JsonElement? Content, int? TtlSeconds, int? TerminalTypes, JsonElement? Sessions, string? ClientMsgId);

    public sealed record SendResult(string To, string Id, string Timeline, long Seq);

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/messages", async (SendRequest body, Caller caller, IClusterClient cluster) =>
        {
            var targets = await ResolveTargetsAsync(body, caller, cluster);
            var from = SenderOf(body, caller);
            var terminalTypes = body.TerminalTypes ?? 31;
            if (terminalTypes is < 1 or > 31)
            {
                throw AppMsgException.Invalid("terminalTypes", "terminalTypes must be a mask from 1 to 31");
            }

            var content = body.Content is { ValueKind: JsonValueKind.Object } c ? c.GetRawText()
                : throw AppMsgException.Invalid("content", "content must be a JSON object");
            var type = Validate.Required(body.Type, "type");
            var results = new SendResult[targets.Count];
            for (var i = 0; i < targets.Count; i++)
            {
                var to = targets[i].ToString();
                var receipt = await cluster.GetGrain<ITimelineGrain>(to).AppendAsync(new NewMessage(from, to, type, content, body.TtlSeconds, terminalTypes));
                results[i] = new SendResult(to, receipt.Id, receipt.Timeline, receipt.Seq);
            }

            return Results.Ok(new { results });
        });

        api.MapGet("/v1/timelines/{address}/messages", async (string address, long? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            if (!Address.TryParse(address, out var timeline) || timeline.Kind is not (AddressKind.User or AddressKind.Qun))
            {
                throw AppMsgException.NotFound("timeline");
            }

            if (timeline.Kind == AddressKind.User)
            {
                await EnsureCanReachUserAsync(timeline.Id, caller, cluster, read: true);
            }
            else
            {
                await EnsureCanReachQunAsync(timeline.Id, caller, cluster);
            }

            var page = await cluster.GetGrain<ITimelineGrain>(timeline.ToString()).ReadAsync(after ?? 0, Validate.Limit(limit));
            var messages = page.Envelopes.Select(e => JsonDocument.Parse(e).RootElement).ToList();
            return Results.Ok(new { messages, next = page.NextAfter });
        });
        return api;
    }

    private static string SenderOf(SendRequest body, Caller caller)
    {
        var own = caller.Address?.ToString() ?? OperatorAddress;
        if (body.From is null || body.From == own)
        {
            return own;
        }

        if (caller.Kind == CallerKind.User)
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "a user sends as itself");
        }

        return Address.TryParse(body.From, out var from) ? from.ToString() : throw AppMsgException.Invalid("from", "from must be an address id@kind");
    }

    private static async Task<List<Address>> ResolveTargetsAsync(SendRequest body, Caller caller, IClusterClient cluster)
    {
        if (body.To is not { Count: > 0 } to || to.Count > MaxTargets)
        {
            throw AppMsgException.Invalid("to", $"to must list 1 to {MaxTargets} addresses");
        }

        if (body.Sessions is { ValueKind: not JsonValueKind.Null } sessions && !(sessions.ValueKind == JsonValueKind.String && sessions.GetString() == "all"))
        {
            throw AppMsgException.Invalid("sessions", "only \"all\" is supported so far");
        }

        var targets = new List<Address>(to.Count);
        foreach (var text in to.Distinct(StringComparer.Ordinal))
        {
            if (!Address.TryParse(text, out var address))
            {
                throw AppMsgException.Invalid("to", $"'{text}' is not an address id@kind");
            }

            switch (address.Kind)
            {
                case AddressKind.User:
                    await EnsureCanReachUserAsync(address.Id, caller, cluster, read: false);
                    break;
                case AddressKind.Qun:
                    await EnsureCanReachQunAsync(address.Id, caller, cluster);
                    break;
                default:
                    throw AppMsgException.Invalid("to", $"sending to {Address.KindName(address.Kind)} addresses is not supported yet");
            }

            targets.Add(address);
        }

        return targets;
    }

    /// <summary>Members of a qun send to and read it; apps and operators of its tenant too; 404 for everyone else.</summary>
    private static async Task EnsureCanReachQunAsync(string qunId, Caller caller, IClusterClient cluster)
    {
        var qun = Ids.IsValid(qunId) ? cluster.GetGrain<IQunGrain>(qunId) : null;
        var info = qun is null ? null : await qun.GetAsync();
        if (info is null || !caller.CanSee(info.TenantId) || (caller.Kind == CallerKind.User && !await qun!.IsMemberAsync(caller.UserId!)))
        {
            throw AppMsgException.NotFound($"qun {qunId}");
        }
    }

    /// <summary>A user may send to and read its own inbox, send to users of its tenant; apps their tenant; operators all.</summary>
    private static async Task EnsureCanReachUserAsync(string userId, Caller caller, IClusterClient cluster, bool read)
    {
        if (!Ids.IsValid(userId) || (read && caller.Kind == CallerKind.User && caller.UserId != userId))
        {
            throw AppMsgException.NotFound(read ? "timeline" : $"user {userId}");
        }

        var user = await cluster.GetGrain<IUserGrain>(userId).GetAsync();
        if (user is null || !caller.CanSee(user.TenantId))
        {
            throw AppMsgException.NotFound(read ? "timeline" : $"user {userId}");
        }
    }
}
