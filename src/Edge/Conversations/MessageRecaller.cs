using AppMsg.Directory;
using AppMsg.Common;
using AppMsg.Conversations;
using AppMsg.Edge.Cluster;

namespace AppMsg.Edge.Conversations;

/// <summary>
/// Recalls a message for a caller of the HTTP API or a device, under <see cref="RecallRules"/>: outside the caller's tenant
/// the message does not exist (404); in it, anyone but the sender, the operator and the tenant's apps is refused (403), and
/// so is the sender after the tenant's window.
/// </summary>
public sealed class MessageRecaller(IClusterClient cluster, AddressTenants tenants, TenantInfoCache tenantInfos, TimeProvider time)
{
    /// <param name="callerAddress">The caller's address (<c>id@user</c>, <c>id@app</c>), null for the operator.</param>
    /// <param name="callerTenantId">The caller's tenant, null for the operator.</param>
    /// <param name="isApp">The caller is an app (of <paramref name="callerTenantId"/>).</param>
    public async Task RecallAsync(string messageId, string? callerAddress, string? callerTenantId, bool isApp)
    {
        var grain = cluster.GetGrain<IStoredMessageGrain>(messageId);
        var message = await grain.GetAsync() ?? throw AppMsgException.NotFound("message");
        // An app's upstream timeline is no address: the sender's tenant is the message's.
        var tenantId = (Address.TryParse(message.Timeline, out var timeline) ? await tenants.TenantOfAsync(timeline) : null)
            ?? (Address.TryParse(message.Sender, out var sender) ? await tenants.TenantOfAsync(sender) : null);
        if (callerTenantId is not null && tenantId != callerTenantId)
        {
            throw AppMsgException.NotFound("message");
        }

        var settings = tenantId is null ? null : (await tenantInfos.GetAsync(tenantId))?.Settings;
        RecallRules.EnsureMayRecall(message, callerAddress, moderator: callerTenantId is null || isApp, RecallRules.WindowOf(settings), time.GetUtcNow());
        await grain.RecallAsync(callerAddress ?? "operator");
    }
}
