using AppMsg.Common;
using AppMsg.Edge.Cluster;
using AppMsg.Messaging.DeliveryState;

namespace AppMsg.Edge.Api;

/// <summary><c>GET /v1/messages/{messageId}/delivery?after=&amp;limit=</c>: where a message stands for each recipient's terminals.</summary>
public static class DeliveryEndpoints
{
    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/messages/{messageId}/delivery", async (string messageId, string? after, int? limit, Caller caller, IClusterClient cluster, AddressTenants tenants) =>
        {
            Validate.Id(messageId, "message");
            var delivery = await cluster.GetGrain<IMessageDeliveryGrain>(0).GetAsync(messageId, after, Validate.Limit(limit))
                ?? throw AppMsgException.NotFound("message");
            await EnsureMayReadAsync(delivery, caller, tenants);
            return Results.Ok(new
            {
                messageId = delivery.MessageId,
                timeline = delivery.Timeline,
                seq = delivery.Seq,
                from = delivery.Sender,
                createdAt = delivery.CreatedAt,
                expiresAt = delivery.ExpiresAt,
                recipients = delivery.Recipients,
                recipientsListed = delivery.RecipientsListed,
                next = delivery.Next,
            });
        });
        return api;
    }

    /// <summary>Its sender, the operator, and the apps of the message's tenant; 404 for anyone else.</summary>
    private static async Task EnsureMayReadAsync(MessageDelivery delivery, Caller caller, AddressTenants tenants)
    {
        if (caller.IsOperator || caller.Address?.ToString() == delivery.Sender)
        {
            return;
        }

        if (caller.Kind == CallerKind.App)
        {
            var tenantId = (Address.TryParse(delivery.Timeline, out var timeline) ? await tenants.TenantOfAsync(timeline) : null)
                ?? (Address.TryParse(delivery.Sender, out var sender) ? await tenants.TenantOfAsync(sender) : null);
            if (tenantId is not null && tenantId == caller.TenantId)
            {
                return;
            }
        }

        throw AppMsgException.NotFound("message");
    }
}
