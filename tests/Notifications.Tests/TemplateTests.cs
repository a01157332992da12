using System.Net;
using AppMsg.Testing;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class TemplateTests(NotificationSystem system)
{
    [Fact]
    public async Task An_apps_template_fills_the_sender_qun_and_content_and_a_bad_one_is_refused_naming_the_field()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var sender = await system.NewUserInAsync(tenantId, displayName: "Alice");
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var token = await system.RegisterIosAsync(userId, appId, credential);
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "Friends", ownerId = sender, members = new[] { userId } }, credential)).Expect(HttpStatusCode.Created)["id"];

        var refused = (await system.Api.PatchAsync($"/v1/apps/{appId}", new { pushTemplate = new { title = "{sender} {nope}" } }, credential)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", refused.Code);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty("pushTemplate.title", out _), refused.Text);

        var patched = (await system.Api.PatchAsync($"/v1/apps/{appId}", new { pushTemplate = new { title = "{sender} in {qun}", body = "New: {content}" } }, credential)).Expect(HttpStatusCode.OK);
        Assert.Equal("New: {content}", patched.Body.GetProperty("pushTemplate").GetProperty("body").GetString());
        Assert.Equal("{sender} in {qun}", (await system.Api.GetAsync($"/v1/apps/{appId}", credential)).Expect(HttpStatusCode.OK).Body.GetProperty("pushTemplate").GetProperty("title").GetString());

        await system.SendAsync($"{qunId}@qun", "hello", await system.LoginAsync(tenantId, sender));
        var alert = Assert.Single(await system.Providers.WaitForAsync(token, 1)).Body.GetProperty("aps").GetProperty("alert");
        Assert.Equal("Alice in Friends", alert.GetProperty("title").GetString());
        Assert.Equal("New: hello", alert.GetProperty("body").GetString());

        // An empty template restores the defaults: the sender's name (here the app's) and the content.
        (await system.Api.PatchAsync($"/v1/apps/{appId}", new { pushTemplate = new { } }, credential)).Expect(HttpStatusCode.OK);
        await system.SendAsync($"{userId}@user", "direct", credential);
        var second = (await system.Providers.WaitForAsync(token, 2))[1].Body.GetProperty("aps").GetProperty("alert");
        Assert.Equal("pusher", second.GetProperty("title").GetString());
        Assert.Equal("direct", second.GetProperty("body").GetString());
    }
}
