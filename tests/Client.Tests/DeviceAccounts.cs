using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Client.Tests;

/// <summary>Users that devices register as, created and logged in over the edge's HTTP API as an operator and a user would.</summary>
public sealed class DeviceAccounts(RunningSystem system)
{
    private const string Password = "correct horse";
    private string? tenantId;
    private int next;

    /// <summary>A new user of the test tenant, logged in for <paramref name="terminalType"/>.</summary>
    public async Task<(string UserId, string Token)> NewUserAsync(TerminalType terminalType = TerminalType.Android)
    {
        var tenantId = await TenantAsync();
        var username = $"device-{Interlocked.Increment(ref next)}";
        (await system.Api.PostAsync("/v1/users", new { tenantId, username, password = Password }, system.AdminKey)).Expect(HttpStatusCode.Created);
        return await LoginAsync(username, terminalType);
    }

    /// <summary>Logs an existing user of the test tenant in again.</summary>
    public async Task<(string UserId, string Token)> LoginAsync(string username, TerminalType terminalType)
    {
        var login = (await system.Api.PostAsync(
            "/v1/auth/login", new { tenantId = await TenantAsync(), username, password = Password, terminalType = (int)terminalType })).Expect(HttpStatusCode.OK);
        return (login["userId"], login["token"]);
    }

    /// <summary>Options to reach the running edge over <paramref name="transport"/>.</summary>
    public DeviceClientOptions Options(DeviceTransportKind transport, string userId, string token) => new()
    {
        Endpoint = transport == DeviceTransportKind.Tcp
            ? $"127.0.0.1:{system.EdgeSettings.TcpPort}"
            : $"ws://127.0.0.1:{system.EdgeSettings.HttpPort}/ws",
        Transport = transport,
        UserId = userId,
        Token = token,
        HeartbeatInterval = Timeout.InfiniteTimeSpan,
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    private async Task<string> TenantAsync()
    {
        if (tenantId is null)
        {
            var created = (await system.Api.PostAsync("/v1/tenants", new { name = "devices" }, system.AdminKey)).Expect(HttpStatusCode.Created);
            tenantId = created["id"];
        }

        return tenantId;
    }
}
