using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary>
/// <c>/v1/users/{userId}/contacts</c>: a user's address book. The user itself, the operator and apps of
/// the user's tenant reach it; everyone else gets 404.
/// </summary>
public static class ContactEndpoints
{
    public sealed record SaveContactRequest(string? Remark, bool? Starred);

    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder api)
    {
        api.MapPut("/v1/users/{userId}/contacts/{contactId}", async (string userId, string contactId, SaveContactRequest? body, Caller caller, IClusterClient cluster) =>
        {
            var owner = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            Validate.Id(contactId, "contact");
            var saved = await cluster.GetGrain<IContactsGrain>(owner.Id).SaveAsync(contactId, new ContactUpdate(body?.Remark, body?.Starred));
            return saved.Created
                ? Results.Created($"/v1/users/{owner.Id}/contacts/{contactId}", saved.Contact)
                : Results.Ok(saved.Contact);
        });

        api.MapGet("/v1/users/{userId}/contacts/{contactId}", async (string userId, string contactId, Caller caller, IClusterClient cluster) =>
        {
            var owner = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            Validate.Id(contactId, "contact");
            return Results.Ok(await cluster.GetGrain<IContactsGrain>(owner.Id).GetAsync(contactId) ?? throw AppMsgException.NotFound("contact"));
        });

        api.MapDelete("/v1/users/{userId}/contacts/{contactId}", async (string userId, string contactId, Caller caller, IClusterClient cluster) =>
        {
            var owner = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            Validate.Id(contactId, "contact");
            return await cluster.GetGrain<IContactsGrain>(owner.Id).RemoveAsync(contactId)
                ? Results.NoContent()
                : throw AppMsgException.NotFound("contact");
        });

        api.MapGet("/v1/users/{userId}/contacts", async (string userId, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            var owner = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            var page = await cluster.GetGrain<IContactsGrain>(owner.Id).ListAsync(after, Validate.Limit(limit));
            return Results.Ok(new { contacts = page.Items, next = page.Next });
        });
        return api;
    }
}
