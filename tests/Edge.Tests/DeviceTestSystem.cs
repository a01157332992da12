using System.Net;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>A running system with short device limits, so that deadline tests run in seconds.</summary>
public sealed class DeviceTestSystem : RunningSystem
{
    public static readonly TimeSpan RegisterDeadline = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(3);

    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => settings with
    {
        Devices = settings.Devices with { RegisterDeadline = RegisterDeadline, IdleLimit = IdleLimit, MaxBodyLength = 4096 },
    };

    public int TcpPort => EdgeSettings.TcpPort;

    public Uri WebSocketUri => new($"ws://127.0.0.1:{EdgeSettings.HttpPort}/ws");

    /// <summary>A new tenant (with <paramref name="settings"/>) and a user in it.</summary>
    public async Task<(string TenantId, string UserId)> NewUserAsync(object? settings = null)
    {
        var tenantId = (await Api.PostAsync("/v1/tenants", new { name = "devices", settings }, AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        var userId = (await Api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse" }, AdminKey)).Expect(HttpStatusCode.Created)["id"];
        return (tenantId, userId);
    }

    /// <summary>A login token of the user.</summary>
    public async Task<string> LoginAsync(string tenantId, string userId, int terminalType = 1)
    {
        var user = (await Api.GetAsync($"/v1/users/{userId}", AdminKey)).Expect(HttpStatusCode.OK);
        return (await Api.PostAsync("/v1/auth/login", new { tenantId, username = user["username"], password = "correct horse", terminalType }))
            .Expect(HttpStatusCode.OK)["token"];
    }
}
