using System.Net;
using System.Net.Sockets;
using AppMsg.Hosting;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>The edge process, started for real, refuses bad settings with one clear line and an exit code.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EdgeStartupFailureTests(PostgresFixture postgres)
{
    private static readonly string EdgeDll = typeof(EdgeSettings).Assembly.Location;

    [Fact]
    public async Task An_unreachable_database_is_named_with_its_address()
    {
        var closedPort = FreePort.Next();

        var result = await RunEdgeAsync($"Host=127.0.0.1;Port={closedPort};Username=postgres;Database=appmsg;Timeout=3", FreePort.Next());

        Assert.Equal(ExitCodes.Database, result.ExitCode);
        Assert.Contains($"cannot connect to PostgreSQL at 127.0.0.1:{closedPort}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_port_in_use_is_named()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        using var squatter = new TcpListener(IPAddress.Any, FreePort.Next());
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var result = await RunEdgeAsync(connectionString, port);

        Assert.Equal(ExitCodes.PortInUse, result.ExitCode);
        Assert.Contains($"port {port} is already in use", result.Output, StringComparison.Ordinal);
        Assert.Contains("APPMSG_HTTP_PORT", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("APPMSG_TLS_CERT_PEM", "APPMSG_TLS_KEY_PEM")]
    [InlineData("APPMSG_TLS_KEY_PEM", "APPMSG_TLS_CERT_PEM")]
    public async Task One_TLS_file_without_the_other_is_a_configuration_error(string set, string missing)
    {
        var path = Path.Combine(Path.GetTempPath(), $"appmsg-lonely-{Guid.NewGuid():N}.pem");

        var result = await RunEdgeAsync("Host=127.0.0.1;Username=postgres;Database=appmsg", FreePort.Next(), new() { [set] = path });

        Assert.Equal(ExitCodes.Configuration, result.ExitCode);
        Assert.Contains($"only {set} is set", result.Output, StringComparison.Ordinal);
        Assert.Contains(missing, result.Output, StringComparison.Ordinal);
    }

    private static Task<ProcessRunner.Result> RunEdgeAsync(string connectionString, int httpPort, Dictionary<string, string?>? more = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__AppMsg"] = connectionString,
            ["APPMSG_HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_TCP_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in more ?? [])
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync("dotnet", [EdgeDll], environment, TimeSpan.FromSeconds(60));
    }
}
