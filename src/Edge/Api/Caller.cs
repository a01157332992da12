using AppMsg.Common;

namespace AppMsg.Edge.Api;

/// <summary>
/// The authenticated caller of an API request. Endpoints take it as a parameter; binding it
/// authenticates the request (401 without a valid credential).
/// </summary>
public sealed record Caller(CallerKind Kind, string? TenantId, string? AppId = null, string? UserId = null)
{
    public bool IsOperator => Kind == CallerKind.Operator;

    /// <summary>The address messages from this caller come from by default.</summary>
    public Address? Address => Kind switch
    {
        CallerKind.User => Common.Address.User(UserId!),
        CallerKind.App => new Address(AppId!, AddressKind.App),
        _ => null,
    };

    /// <summary>Operators and apps manage a tenant; users do not.</summary>
    public bool CanManage(string tenantId) => IsOperator || (Kind == CallerKind.App && TenantId == tenantId);

    /// <summary>The caller sees this tenant's data at all.</summary>
    public bool CanSee(string tenantId) => IsOperator || TenantId == tenantId;

    /// <summary>For tenant-scoped resources: answers 404 (not 403) outside the caller's tenant, so ids cannot be probed.</summary>
    public void EnsureCanSee(string tenantId, string what)
    {
        if (!CanSee(tenantId))
        {
            throw AppMsgException.NotFound(what);
        }
    }

    /// <summary>Management of a tenant's resource: 404 outside the tenant, 403 for a user inside it.</summary>
    public void EnsureCanManage(string tenantId, string what)
    {
        EnsureCanSee(tenantId, what);
        if (!CanManage(tenantId))
        {
            throw new AppMsgException(ErrorCodes.Forbidden, $"this credential may not change the {what}");
        }
    }

    /// <summary>Operator-only routes.</summary>
    public void EnsureOperator()
    {
        if (!IsOperator)
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "only the operator (admin key) may do this");
        }
    }

    /// <summary>Binds the caller of a minimal API endpoint from the Authorization header, and counts the call against its quotas.</summary>
    public static async ValueTask<Caller?> BindAsync(HttpContext context)
    {
        var caller = await context.RequestServices.GetRequiredService<CallerAuthenticator>().AuthenticateAsync(context);
        if (caller.TenantId is { } tenantId)
        {
            context.RequestServices.GetRequiredService<Statistics.StatsCollector>().Add(tenantId, caller.AppId, AppMsg.Statistics.StatsCounter.ApiCalls);
        }

        await context.RequestServices.GetRequiredService<Quotas.QuotaGate>().TakeApiCallAsync(caller);
        return caller;
    }
}
