using System.Net;
using System.Net.Sockets;
using AppMsg.Hosting;
using AppMsg.Silo.Migrations;
using AppMsg.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AppMsg.Silo.Tests;

/// <summary>The silo process, started for real, refuses bad settings with one clear line and an exit code.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloStartupFailureTests(PostgresFixture postgres)
{
    private static readonly string SiloDll = typeof(SiloSettings).Assembly.Location;

    [Fact]
    public async Task A_malformed_connection_string_is_named_and_the_process_exits()
    {
        var result = await RunSiloAsync("this is not a connection string", "migrate");

        Assert.Equal(ExitCodes.Configuration, result.ExitCode);
        Assert.Contains("ConnectionStrings__AppMsg is not a valid PostgreSQL connection string", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_named_with_its_address()
    {
        var closedPort = FreePort.Next();

        var result = await RunSiloAsync($"Host=127.0.0.1;Port={closedPort};Username=postgres;Database=appmsg;Timeout=3");

        Assert.Equal(ExitCodes.Database, result.ExitCode);
        Assert.Contains($"cannot connect to PostgreSQL at 127.0.0.1:{closedPort}", result.Output, StringComparison.Ordinal);
        Assert.Single(result.Output.Split('\n'), line => line.Contains("crit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_port_in_use_is_named_and_nothing_is_migrated()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        using var squatter = new TcpListener(IPAddress.Any, FreePort.Next());
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var result = await RunSiloAsync(connectionString, environment: new() { ["APPMSG_SILO_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(ExitCodes.PortInUse, result.ExitCode);
        Assert.Contains($"port {port} is already in use", result.Output, StringComparison.Ordinal);
        Assert.Contains("APPMSG_SILO_PORT", result.Output, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass('appmsg_schema_version') IS NULL", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_stops_the_silo()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"INSERT INTO appmsg_schema_version (version, name) VALUES ({DatabaseMigrator.LatestVersion + 7}, 'future')", connection);
            await command.ExecuteNonQueryAsync();
        }

        var result = await RunSiloAsync(connectionString);

        Assert.Equal(ExitCodes.SchemaTooNew, result.ExitCode);
        Assert.Contains("newer than this build supports", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migrate_command_migrates_and_exits()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();

        var result = await RunSiloAsync(connectionString, "migrate");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains($"Applied migration {DatabaseMigrator.LatestVersion}", result.Output, StringComparison.Ordinal);
    }

    private static Task<ProcessRunner.Result> RunSiloAsync(string connectionString, string? command = null, Dictionary<string, string?>? environment = null)
    {
        var env = new Dictionary<string, string?>(environment ?? [])
        {
            ["ConnectionStrings__AppMsg"] = connectionString,
            ["APPMSG_CLUSTER_ID"] = "startup-" + Guid.NewGuid().ToString("N")[..8],
        };
        env.TryAdd("APPMSG_SILO_PORT", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        env.TryAdd("APPMSG_GATEWAY_PORT", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        env.TryAdd("APPMSG_METRICS_PORT", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        string[] arguments = command is null ? [SiloDll] : [SiloDll, command];
        return ProcessRunner.RunAsync("dotnet", arguments, env, TimeSpan.FromSeconds(60));
    }
}
