using System.Net;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class DeliveryStateTests(NotificationSystem system)
{
    [Fact]
    public async Task The_delivery_state_shows_notified_for_the_notified_device_until_the_terminal_acknowledges()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var token = await system.RegisterIosAsync(userId, appId, credential);

        var messageId = await system.SendAsync($"{userId}@user", "where is it", credential);
        await system.Providers.WaitForAsync(token, 1);

        // The outcome is recorded in batches just after the provider's answer.
        var notified = await Eventually.ReturnsAsync(() => IosTerminalAsync(messageId, credential),
            t => t is { } terminal && terminal.GetProperty("state").GetString() == "notified", TimeSpan.FromSeconds(10), "the iOS terminal notified");
        Assert.Equal("iphone", notified!.Value.GetProperty("deviceId").GetString());
        Assert.Equal(JsonValueKind.String, notified.Value.GetProperty("at").ValueKind);

        // The phone opens the app, gets the message and acknowledges it: acknowledged wins.
        await using var phone = await system.DeviceAsync(tenantId, userId, TerminalType.Ios);
        await phone.AcknowledgeAsync(await phone.ReceiveAsync(TimeSpan.FromSeconds(10)));
        await Eventually.ReturnsAsync(() => IosTerminalAsync(messageId, credential),
            t => t is { } terminal && terminal.GetProperty("state").GetString() == "acknowledged", TimeSpan.FromSeconds(10), "the iOS terminal acknowledged");
    }

    private async Task<JsonElement?> IosTerminalAsync(string messageId, string credential)
    {
        var delivery = (await system.Api.GetAsync($"/v1/messages/{messageId}/delivery", credential)).Expect(HttpStatusCode.OK);
        var terminals = delivery.Body.GetProperty("recipients")[0].GetProperty("terminals");
        return terminals.EnumerateArray().Where(t => t.GetProperty("terminalType").GetInt32() == (int)TerminalType.Ios).Select(t => (JsonElement?)t.Clone()).FirstOrDefault();
    }
}
