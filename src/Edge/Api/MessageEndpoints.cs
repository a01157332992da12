using System.Text.Json;
using AppMsg.Backends;
using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Edge.Cluster;
using AppMsg.Messaging;
using AppMsg.Sessions;

namespace AppMsg.Edge.Api;

/// <summary><c>POST /v1/messages</c> (push) and <c>GET /v1/timelines/{address}/messages</c> (history).</summary>
public static class MessageEndpoints
{
    public const int MaxTargets = 1_000;
    public const int MaxSessionFilter = 1_000;
    private const string OperatorAddress = "operator@app";

    public sealed record SendRequest(string? From, List<string>? To, string? Type, JsonElement? Content, int? TtlSeconds, int? TerminalTypes, JsonElement? Sessions, string? ClientMsgId,
        bool? Notify = null, NotificationBody? Notification = null);

    /// <summary>The sender's own offline notification: title, body, sound, string data and <c>priority: "high"</c>.</summary>
    public sealed record NotificationBody(string? Title, string? Body, string? Sound, Dictionary<string, string>? Data, string? Priority);

    public sealed record SendResult(string To, string Id, string Timeline, long Seq);

    /// <summary>One resolved target: the timeline it is stored in, and who receives it live.</summary>
    private sealed record Target(string To, string Timeline, int TerminalTypes, IReadOnlyList<string>? OnlySessions)
    {
        /// <summary>The tenant the target belongs to (its statistics count the message).</summary>
        public string TenantId { get; init; } = "";
    }

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/messages", async (SendRequest body, Caller caller, IClusterClient cluster, AddressTenants tenants, TenantInfoCache tenantInfos, Quotas.QuotaGate quotas, Statistics.StatsCollector stats) =>
        {
            var terminalTypes = body.TerminalTypes ?? 31;
            if (terminalTypes is < 1 or > 31)
            {
                throw AppMsgException.Invalid("terminalTypes", "terminalTypes must be a mask from 1 to 31");
            }

            var content = body.Content is { ValueKind: JsonValueKind.Object } c ? c.GetRawText()
                : throw AppMsgException.Invalid("content", "content must be a JSON object");
            var type = Validate.Required(body.Type, "type");
            if (body.ClientMsgId is { Length: 0 or > 128 })
            {
                throw AppMsgException.Invalid("clientMsgId", "clientMsgId must be 1 to 128 characters");
            }

            var from = SenderOf(body, caller);
            var notification = NotificationOf(body.Notification);
            var sessions = SessionFilterOf(body.Sessions);
            // A send is tried again while a silo's death is being detected; the client message id (ours when the
            // caller gave none) makes a repeat of an append that did get stored answer with the first result.
            var clientMsgId = ClusterRetry.RepeatableClientMsgId(body.ClientMsgId);
            var targetCount = body.To?.Distinct(StringComparer.Ordinal).Count() ?? 0;
            var ttl = caller.TenantId is { } tenantId && targetCount > 0
                ? await quotas.TakeSendAsync(tenantId, caller.AppId, targetCount, body.TtlSeconds)
                : body.TtlSeconds;
            try
            {
                var results = await ClusterRetry.RunAsync(async () =>
                {
                    var targets = await ResolveTargetsAsync(body.To, caller, cluster, tenants, tenantInfos, terminalTypes, sessions);
                    var receipts = await Task.WhenAll(targets.Select(t => cluster.GetGrain<ITimelineGrain>(t.Timeline).AppendAsync(
                        new NewMessage(from, t.To, type, content, ttl, t.TerminalTypes, ClientMsgId: clientMsgId, OnlySessions: t.OnlySessions,
                        Notify: body.Notify ?? true, Notification: notification))));
                    var bytes = System.Text.Encoding.UTF8.GetByteCount(content);
                    foreach (var t in targets)
                    {
                        stats.AddMessage(t.TenantId, caller.AppId, Address.TryParse(t.To, out var sent) ? sent.Kind : AddressKind.User, bytes);
                    }

                    return targets.Select((t, i) => new SendResult(t.To, receipts[i].Id, receipts[i].Timeline, receipts[i].Seq)).ToList();
                });
                Metrics.EdgeMetrics.Accepted(results.Count);
                return Results.Ok(new { results });
            }
            catch when (caller.TenantId is not null && targetCount > 0)
            {
                quotas.GiveBackSend(caller.TenantId, caller.AppId, targetCount);
                throw;
            }
        });

        api.MapGet("/v1/timelines/{address}/messages", async (string address, long? after, int? limit, Caller caller, IClusterClient cluster, AddressTenants tenants) =>
        {
            if (!Address.TryParse(address, out var timeline) || timeline.Kind == AddressKind.Session || !Ids.IsValid(timeline.Id))
            {
                throw AppMsgException.NotFound("timeline");
            }

            await EnsureCanReadAsync(timeline, caller, cluster, tenants);
            var page = await cluster.GetGrain<ITimelineGrain>(timeline.ToString()).ReadAsync(after ?? 0, Validate.Limit(limit));
            var messages = page.Envelopes.Select(e => JsonDocument.Parse(e).RootElement).ToList();
            return Results.Ok(new { messages, next = page.NextAfter });
        });
        return api;
    }

    private static AppMsg.Notifications.NotificationOverride? NotificationOf(NotificationBody? body)
    {
        if (body is null)
        {
            return null;
        }

        if (body.Priority is not (null or "normal" or "high"))
        {
            throw AppMsgException.Invalid("notification.priority", "notification.priority must be normal or high");
        }

        if (body.Data is { Count: > 20 } || body.Data?.Any(d => d.Key.Length > 64 || d.Value is null || d.Value.Length > 1_024) == true)
        {
            throw AppMsgException.Invalid("notification.data", "notification.data must be at most 20 string fields (names up to 64, values up to 1024 characters)");
        }

        return new AppMsg.Notifications.NotificationOverride(body.Title, body.Body, body.Sound, body.Data, body.Priority == "high");
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

    /// <summary>appmsgsrv's session filter: absent or <c>"all"</c> (every session), or a list of session ids.</summary>
    private static IReadOnlyList<string>? SessionFilterOf(JsonElement? sessions)
    {
        switch (sessions)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return null;
            case { ValueKind: JsonValueKind.String } all when all.GetString() == "all":
                return null;
            case { ValueKind: JsonValueKind.Array } list when list.GetArrayLength() is > 0 and <= MaxSessionFilter:
                var ids = new List<string>(list.GetArrayLength());
                foreach (var item in list.EnumerateArray())
                {
                    ids.Add(item.ValueKind == JsonValueKind.String && Ids.IsValid(item.GetString())
                        ? item.GetString()!
                        : throw AppMsgException.Invalid("sessions", "sessions lists session ids"));
                }

                return ids;
            default:
                throw AppMsgException.Invalid("sessions", $"sessions must be \"all\" or a list of 1 to {MaxSessionFilter} session ids");
        }
    }

    private static async Task<List<Target>> ResolveTargetsAsync(List<string>? to, Caller caller, IClusterClient cluster, AddressTenants tenants, TenantInfoCache tenantInfos, int terminalTypes, IReadOnlyList<string>? sessions)
    {
        if (to is not { Count: > 0 } || to.Count > MaxTargets)
        {
            throw AppMsgException.Invalid("to", $"to must list 1 to {MaxTargets} addresses");
        }

        var targets = new List<Target>(to.Count);
        foreach (var text in to.Distinct(StringComparer.Ordinal))
        {
            if (!Address.TryParse(text, out var address) || !Ids.IsValid(address.Id))
            {
                throw AppMsgException.Invalid("to", $"'{text}' is not an address id@kind");
            }

            targets.Add(await ResolveAsync(address, caller, cluster, tenants, tenantInfos, terminalTypes, sessions));
        }

        return targets;
    }

    /// <summary>
    /// Where a message to <paramref name="address"/> goes, if the caller may send there: users send to users,
    /// quns they belong to and apps (upstream) of their tenant; apps and the operator to every kind of address
    /// of their tenant (all tenants for the operator); anything out of reach is 404.
    /// </summary>
    private static async Task<Target> ResolveAsync(Address address, Caller caller, IClusterClient cluster, AddressTenants tenants, TenantInfoCache tenantInfos, int terminalTypes, IReadOnlyList<string>? sessions)
    {
        var to = address.ToString();
        var tenantId = await tenants.TenantOfAsync(address) ?? throw AppMsgException.NotFound(to);
        if (!caller.CanSee(tenantId))
        {
            throw AppMsgException.NotFound(to);
        }

        if (caller.IsOperator)
        {
            // Other callers are of the target's own tenant, refused already when it is disabled.
            await tenantInfos.EnsureEnabledAsync(tenantId);
        }

        var target = await TargetOfAsync(address, caller, cluster, terminalTypes, sessions);
        return target with { TenantId = tenantId };
    }

    private static async Task<Target> TargetOfAsync(Address address, Caller caller, IClusterClient cluster, int terminalTypes, IReadOnlyList<string>? sessions)
    {
        var to = address.ToString();
        switch (address.Kind)
        {
            case AddressKind.User:
                return new Target(to, to, terminalTypes, sessions);
            case AddressKind.Qun:
                if (caller.Kind == CallerKind.User && !await cluster.GetGrain<IQunGrain>(address.Id).IsMemberAsync(caller.UserId!))
                {
                    throw AppMsgException.NotFound(to);
                }

                return new Target(to, to, terminalTypes, sessions);
            case AddressKind.App when caller.Kind == CallerKind.User:
                return new Target(to, AppUpstream.TimelineOf(address.Id), terminalTypes, null);
            case AddressKind.App when caller.Kind == CallerKind.App && caller.AppId != address.Id:
                throw new AppMsgException(ErrorCodes.Forbidden, "an app broadcasts only as itself");
            case AddressKind.Session when caller.Kind != CallerKind.User:
                return await SessionTargetAsync(address, cluster, terminalTypes, sessions);
            case AddressKind.Org or AddressKind.Tenant or AddressKind.App when caller.Kind != CallerKind.User:
                return new Target(to, to, terminalTypes, sessions);
            default:
                throw new AppMsgException(ErrorCodes.Forbidden, $"a user may not send to {Address.KindName(address.Kind)} addresses");
        }
    }

    /// <summary>
    /// A live session: a signed-in one's messages are kept in its user's inbox for its terminal type only (so the
    /// same terminal gets it on replay after a reconnect); an anonymous one's in the session's own timeline.
    /// </summary>
    private static async Task<Target> SessionTargetAsync(Address address, IClusterClient cluster, int terminalTypes, IReadOnlyList<string>? sessions)
    {
        var to = address.ToString();
        var session = await cluster.GetGrain<ISessionGrain>(address.Id).GetAsync() ?? throw AppMsgException.NotFound(to);
        IReadOnlyList<string> only = sessions is null || sessions.Contains(address.Id) ? [address.Id] : [];
        if (session.UserId is not { } userId)
        {
            return new Target(to, to, terminalTypes, only);
        }

        var mask = terminalTypes & session.TerminalType;
        return mask != 0
            ? new Target(to, $"{userId}@user", mask, only)
            : throw AppMsgException.Invalid("terminalTypes", $"{to} is a terminal of type {session.TerminalType}, outside terminalTypes");
    }

    /// <summary>
    /// A user reads the timelines it receives (its inbox, its quns, its orgs and their parents, its tenant and the
    /// tenant's apps); apps and the operator read their tenant's; 404 otherwise.
    /// </summary>
    internal static async Task EnsureCanReadAsync(Address timeline, Caller caller, IClusterClient cluster, AddressTenants tenants)
    {
        var tenantId = await tenants.TenantOfAsync(timeline);
        if (tenantId is null || !caller.CanSee(tenantId))
        {
            throw AppMsgException.NotFound("timeline");
        }

        if (caller.Kind == CallerKind.User)
        {
            var list = await cluster.GetGrain<IReadingListGrain>(0).GetAsync(caller.UserId, tenantId);
            if (!list.Timelines.Contains(timeline.ToString()))
            {
                throw AppMsgException.NotFound("timeline");
            }
        }
    }
}
