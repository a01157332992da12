using AppMsg.Hosting;
using AppMsg.Protocol;
using AppMsg.Testing;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Edge.Tests;

/// <summary>A running system whose plain binary port is served by Kestrel (<c>APPMSG_TCP_LISTENER=kestrel</c>).</summary>
public sealed class KestrelTcpSystem : RunningSystem
{
    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => settings with { TcpListener = TcpListenerKind.Kestrel };
}

/// <summary><c>APPMSG_TCP_LISTENER</c>: read strictly, and the Kestrel choice serves devices as the default one does.</summary>
public sealed class TcpListenerChoiceTests(KestrelTcpSystem system) : IClassFixture<KestrelTcpSystem>
{
    [Theory]
    [InlineData(null, TcpListenerKind.Socket)]
    [InlineData("socket", TcpListenerKind.Socket)]
    [InlineData("Kestrel", TcpListenerKind.Kestrel)]
    public void The_setting_names_the_listener_and_defaults_to_the_socket_loop(string? value, TcpListenerKind expected) =>
        Assert.Equal(expected, SettingReader.Choice(Configuration(value), "APPMSG_TCP_LISTENER", "AppMsg:TcpListener", TcpListenerKind.Socket));

    [Theory]
    [InlineData("libuv")]
    [InlineData("1")]
    public void Anything_else_is_a_configuration_error_that_names_the_choices(string value)
    {
        var error = Assert.Throws<StartupException>(() =>
            SettingReader.Choice(Configuration(value), "APPMSG_TCP_LISTENER", "AppMsg:TcpListener", TcpListenerKind.Socket));
        Assert.Equal(ExitCodes.Configuration, error.ExitCode);
        Assert.Contains("socket, kestrel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_kestrel_a_device_registers_and_gets_a_push()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);

        await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "via kestrel" } }, system.AdminKey);

        var push = await device.ReceiveAsync();
        Assert.Equal(MessageType.Push, push.Type);
        Assert.Contains("via kestrel", System.Text.Encoding.UTF8.GetString(push.Body), StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["APPMSG_TCP_LISTENER"] = value }).Build();
}
