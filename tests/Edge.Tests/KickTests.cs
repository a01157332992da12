using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class KickTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    [Fact]
    public async Task An_app_of_the_tenant_kicks_every_session_of_a_user_and_the_device_may_register_again()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var app = (await system.Api.PostAsync("/v1/apps", new { tenantId, name = "kicker" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        var token = await system.LoginAsync(tenantId, userId);
        await using var phone = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await phone.RegisterAsync(userId, token)).Code);
        await using var pc = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await pc.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, 8), TerminalType.Web)).Code);

        (await system.Api.PostAsync($"/v1/users/{userId}/kick", null, $"{app["id"]}:{app["secret"]}")).Expect(HttpStatusCode.NoContent);

        foreach (var device in new[] { phone, pc })
        {
            var kick = await device.ReceiveAsync();
            Assert.Equal(MessageType.Kick, kick.Type);
            Assert.Equal((byte)KickReason.LoggedOut, kick.Code);
            Assert.True(await device.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
        }

        await Eventually.ReturnsAsync(() => system.Api.GetAsync($"/v1/users/{userId}/presence", system.AdminKey),
            p => p.Body.GetProperty("sessions").GetArrayLength() == 0, TimeSpan.FromSeconds(10), "no session left");
        // The token was not revoked: the device comes back.
        await using var again = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await again.RegisterAsync(userId, token)).Code);
    }

    [Fact]
    public async Task A_user_may_not_kick_and_an_unknown_user_is_not_found()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        Assert.Equal(HttpStatusCode.Forbidden, (await system.Api.PostAsync($"/v1/users/{userId}/kick", null, token)).Status);
        var missing = await system.Api.PostAsync("/v1/users/0000000000000/kick", null, system.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("not_found", missing.Code);
    }
}
