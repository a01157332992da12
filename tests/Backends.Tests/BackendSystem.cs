using System.Net;
using AppMsg.Backends;
using AppMsg.Client;
using AppMsg.Messaging;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

/// <summary>One running system (PostgreSQL, silo, edge) shared by the backend tests, which run one after another.</summary>
public sealed class BackendSystem : RunningSystem
{
    /// <summary>A new app of the tenant, with an optional webhook.</summary>
    public async Task<(string AppId, string Credential)> NewAppAsync(string tenantId, string? webhookUrl = null)
    {
        var created = (await Api.PostAsync("/v1/apps", new { tenantId, name = "backend", webhookUrl }, AdminKey)).Expect(HttpStatusCode.Created);
        return (created["id"], $"{created["id"]}:{created["secret"]}");
    }

    /// <summary>A new user of an existing tenant.</summary>
    public async Task<string> NewUserInAsync(string tenantId)
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        return (await Api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse" }, AdminKey)).Expect(HttpStatusCode.Created)["id"];
    }

    /// <summary>Stores a message from the user in the app's upstream timeline, as device IM and the push API do.</summary>
    public Task<MessageReceipt> SendToAppAsync(string appId, string userId, string text) =>
        Cluster.GetGrain<ITimelineGrain>(AppUpstream.TimelineOf(appId))
            .AppendAsync(new NewMessage($"{userId}@user", $"{appId}@app", "text", $$"""{"text":"{{text}}"}"""));

    /// <summary>A registered raw TCP device of the user.</summary>
    public async Task<RawDevice> DeviceAsync(string tenantId, string userId, TerminalType terminalType = TerminalType.Android)
    {
        var device = await RawDevice.ConnectAsync(TcpPort);
        var answer = await device.RegisterAsync(userId, await LoginAsync(tenantId, userId, (int)terminalType), terminalType);
        Assert.Equal(0, answer.Code);
        return device;
    }

    /// <summary>A registered device-client (any transport) of the user.</summary>
    public async Task<DeviceClient> ClientAsync(string tenantId, string userId, DeviceTransportKind transport, TerminalType terminalType = TerminalType.Web)
    {
        var client = new DeviceClient(new DeviceClientOptions
        {
            Endpoint = transport == DeviceTransportKind.Tcp ? $"127.0.0.1:{TcpPort}" : $"ws://127.0.0.1:{EdgeSettings.HttpPort}/ws",
            Transport = transport,
            TerminalType = terminalType,
            UserId = userId,
            Token = await LoginAsync(tenantId, userId, (int)terminalType),
            HeartbeatInterval = Timeout.InfiniteTimeSpan,
            Reconnect = false,
        });
        await client.ConnectAsync();
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class BackendCollection : ICollectionFixture<BackendSystem>
{
    public const string Name = "backends";
}
