using System.Net;
using AppMsg.Messaging;
using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

/// <summary>
/// A disabled tenant as backends meet it (docs/directory-people.md, "Disabling a tenant"): an Orleans-client backend's
/// messages and callbacks into it are refused with <c>tenant_disabled</c> by the grains themselves, and webhook items
/// accepted before the change are held while it is disabled (neither posted nor dead-lettered), then delivered.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class TenantDisabledBackendTests(BackendSystem system)
{
    [Fact]
    public async Task An_orleans_client_backend_cannot_send_or_call_back_into_a_disabled_tenant_until_it_is_enabled()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        var (_, bystander) = await system.NewUserAsync();
        var inbox = system.Cluster.GetGrain<ITimelineGrain>($"{userId}@user");
        NewMessage Text(string to, string text) => new($"{appId}@app", to, "text", $$"""{"text":"{{text}}"}""");
        await inbox.AppendAsync(Text($"{userId}@user", "before"));

        await SetDisabledAsync(tenantId, true);

        // The inbox's activation from before, the tenant's broadcast timeline, the app's upstream, a stored callback.
        await RefusedAsync(() => inbox.AppendAsync(Text($"{userId}@user", "while disabled")));
        await RefusedAsync(() => system.Cluster.GetGrain<ITimelineGrain>($"{tenantId}@tenant").AppendAsync(Text($"{tenantId}@tenant", "to all")));
        await RefusedAsync(() => system.SendToAppAsync(appId, userId, "upstream"));
        await RefusedAsync(() => system.Cluster.CallAsync(new CallbackRequest($"{userId}@user", """{"q":1}""", TimeoutMs: 1_000, StoreIfOffline: true, AppId: appId)));

        // Another tenant's user is not touched.
        await system.Cluster.GetGrain<ITimelineGrain>($"{bystander}@user").AppendAsync(Text($"{bystander}@user", "elsewhere"));

        await SetDisabledAsync(tenantId, false);
        await inbox.AppendAsync(Text($"{userId}@user", "after"));
        var stored = await inbox.ReadAsync(0, 10);
        Assert.Equal(2, stored.Seqs.Count);
    }

    [Fact]
    public async Task Webhook_items_accepted_before_the_tenant_was_disabled_are_held_until_it_is_enabled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Behaviour = WebhookBehaviour.Fail;
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId, receiver.Url);

        // A dead letter from before (one attempt), then an item whose retry waits 3 s.
        (await system.Api.PutAsync($"/v1/apps/{appId}/webhook", new { maxAttempts = 1 }, credential)).Expect(HttpStatusCode.OK);
        await system.SendToAppAsync(appId, userId, "dead-lettered before");
        var letters = await Eventually.ReturnsAsync(() => DeadLettersAsync(appId), l => l.Count == 1, TimeSpan.FromSeconds(10), "one dead letter");
        (await system.Api.PutAsync($"/v1/apps/{appId}/webhook", new { maxAttempts = 3, initialBackoffMs = 3_000 }, credential)).Expect(HttpStatusCode.OK);
        await system.SendToAppAsync(appId, userId, "accepted before");
        await receiver.WaitForAsync(r => r.Count >= 2, "the second item's first attempt");

        await SetDisabledAsync(tenantId, true);
        receiver.Behaviour = WebhookBehaviour.Ok;
        var letterId = letters[0].GetProperty("id").GetString()!;
        Assert.Equal("tenant_disabled", (await system.Api.PostAsync($"/v1/apps/{appId}/dead-letters/{letterId}/replay", null, system.AdminKey))
            .Expect(HttpStatusCode.Forbidden).Code);

        // The retry was due 3 s after the first attempt: it is not made, nothing more is dead-lettered, the letter stays.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal([letterId], (await DeadLettersAsync(appId)).Select(l => l.GetProperty("id").GetString()));

        await SetDisabledAsync(tenantId, false);
        var requests = await receiver.WaitForAsync(r => r.Any(x => x.AnsweredWith == WebhookBehaviour.Ok), "the held item delivered once enabled", seconds: 20);
        var delivered = requests.Single(x => x.AnsweredWith == WebhookBehaviour.Ok);
        Assert.Equal(2, delivered.Json.GetProperty("seq").GetInt64());
        Assert.Equal("accepted before", delivered.Json.GetProperty("message").GetProperty("content").GetProperty("text").GetString());
        (await system.Api.PostAsync($"/v1/apps/{appId}/dead-letters/{letterId}/replay", null, system.AdminKey)).Expect(HttpStatusCode.Accepted);
        await receiver.WaitForAsync(r => r.Any(x => x.AnsweredWith == WebhookBehaviour.Ok && x.Json.GetProperty("seq").GetInt64() == 1), "the dead letter replayed");
        await Eventually.ReturnsAsync(async () => (await system.Api.GetAsync($"/v1/apps/{appId}/webhook", credential)).Body.GetProperty("delivered").GetInt64(),
            d => d == 2, TimeSpan.FromSeconds(10), "the delivered cursor at 2");
    }

    private async Task<List<System.Text.Json.JsonElement>> DeadLettersAsync(string appId) =>
        [.. (await system.Api.GetAsync($"/v1/apps/{appId}/dead-letters", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("deadLetters").EnumerateArray()];

    private async Task SetDisabledAsync(string tenantId, bool disabled) =>
        (await system.Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled }, system.AdminKey)).Expect(HttpStatusCode.OK);

    private static async Task RefusedAsync(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<AppMsgException>(call);
        Assert.Equal(ErrorCodes.TenantDisabled, refused.Code);
    }
}
