using AppMsg.Directory;
using AppMsg.Statistics;

namespace AppMsg.Edge.Api;

/// <summary><c>GET /v1/stats?tenantId=&amp;appId=&amp;from=&amp;to=&amp;granularity=hour|day</c>.</summary>
public static class StatsEndpoints
{
    /// <summary>Messages accepted, by the kind of their target.</summary>
    public sealed record MessageCounts(long User, long Qun, long Org, long Tenant, long App, long Session);

    /// <summary>Offline notifications by outcome.</summary>
    public sealed record NotificationCounts(long Sent, long Failed, long Pruned);

    /// <summary>One hour's or day's counts.</summary>
    public sealed record StatsRowBody(
        DateTimeOffset At, MessageCounts Messages, long BytesStored, long DeliveriesLive, long DeliveriesReplayed,
        long Acknowledgements, long ApiCalls, long QuotaRefusals, long PeakConnections, NotificationCounts Notifications);

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/stats", async (string? tenantId, string? appId, DateTimeOffset? from, DateTimeOffset? to, string? granularity, Caller caller, IClusterClient cluster) =>
        {
            var grouping = granularity switch
            {
                null or "hour" => StatsGranularity.Hour,
                "day" => StatsGranularity.Day,
                _ => throw AppMsgException.Invalid("granularity", "granularity must be hour or day"),
            };
            var until = to ?? DateTimeOffset.UtcNow;
            var since = from ?? until - (grouping == StatsGranularity.Day ? TimeSpan.FromDays(30) : TimeSpan.FromDays(1));
            if (since > until)
            {
                throw AppMsgException.Invalid("from", "from must not be after to");
            }

            if (until - since > StatsQuery.MaxRange)
            {
                throw AppMsgException.Invalid("to", $"a range may cover at most {StatsQuery.MaxRange.TotalDays:0} days");
            }

            var (tenant, app) = await ScopeAsync(tenantId, appId, caller, cluster);
            var rows = await cluster.GetGrain<IStatsGrain>(0).QueryAsync(new StatsQuery(tenant, app, since, until, grouping));
            return Results.Ok(new { tenantId = tenant, appId = app, granularity = grouping == StatsGranularity.Day ? "day" : "hour", rows = rows.Select(ToBody) });
        });
        return api;
    }

    /// <summary>
    /// Whose statistics: the operator names a tenant or an app; an app sees its own (and, asking for its tenant by
    /// id, the tenant's); users see none. Anything out of reach is 404.
    /// </summary>
    private static async Task<(string TenantId, string? AppId)> ScopeAsync(string? tenantId, string? appId, Caller caller, IClusterClient cluster)
    {
        if (caller.Kind == CallerKind.User)
        {
            // Out of reach is 404 as everywhere; the user's own tenant is 403.
            if (appId is not null || tenantId != caller.TenantId)
            {
                throw AppMsgException.NotFound(appId is null ? "tenant" : "app");
            }

            throw new AppMsgException(ErrorCodes.Forbidden, "statistics are for the operator and apps");
        }

        if (appId is null && tenantId is null)
        {
            if (caller.Kind != CallerKind.App)
            {
                throw AppMsgException.Invalid("tenantId", "tenantId or appId is required");
            }

            appId = caller.AppId;
        }

        if (appId is not null)
        {
            Validate.Id(appId, "app");
            if (caller.Kind == CallerKind.App && caller.AppId != appId)
            {
                throw AppMsgException.NotFound("app");
            }

            var app = await cluster.GetGrain<IAppGrain>(appId).GetAsync() ?? throw AppMsgException.NotFound("app");
            if (tenantId is not null && tenantId != app.TenantId)
            {
                throw AppMsgException.NotFound("app");
            }

            return (app.TenantId, appId);
        }

        caller.EnsureCanSee(Validate.Id(tenantId, "tenant"), "tenant");
        _ = await cluster.GetGrain<ITenantGrain>(tenantId!).GetAsync() ?? throw AppMsgException.NotFound("tenant");
        return (tenantId!, null);
    }

    private static StatsRowBody ToBody(StatsRow row) => new(
        row.At,
        new MessageCounts(row[StatsCounter.MessagesToUser], row[StatsCounter.MessagesToQun], row[StatsCounter.MessagesToOrg],
            row[StatsCounter.MessagesToTenant], row[StatsCounter.MessagesToApp], row[StatsCounter.MessagesToSession]),
        row[StatsCounter.BytesStored], row[StatsCounter.DeliveriesLive], row[StatsCounter.DeliveriesReplayed],
        row[StatsCounter.Acknowledgements], row[StatsCounter.ApiCalls], row[StatsCounter.QuotaRefusals], row[StatsCounter.PeakConnections],
        new NotificationCounts(row[StatsCounter.NotificationsSent], row[StatsCounter.NotificationsFailed], row[StatsCounter.NotificationsPruned]));
}
