using AppMsg.Silo.Migrations;
using AppMsg.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AppMsg.Silo.Tests;

/// <summary>Migration 18 gives the statistics hours stored before it their tenant total rows (app <c>*</c>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class TenantTotalsMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Hours_stored_before_migration_18_get_their_tenant_totals_once()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Rows as a build before migration 18 wrote them: two apps and the tenant's own row in one hour, one app in
        // the next, another tenant's row; no totals.
        await ExecuteAsync(connection, """
            INSERT INTO stats_hourly (tenant_id, app_id, hour, messages_user, api_calls, peak_connections) VALUES
              ('t1', 'a1', '2026-12-01T10:00:00Z', 3, 10, 0),
              ('t1', 'a2', '2026-12-01T10:00:00Z', 4, 20, 0),
              ('t1', '',   '2026-12-01T10:00:00Z', 5, 0, 7),
              ('t1', 'a1', '2026-12-01T11:00:00Z', 1, 1, 0),
              ('t2', 'b1', '2026-12-01T10:00:00Z', 100, 100, 2)
            """);

        var migration18 = DatabaseMigrator.KnownMigrations.Single(m => m.Version == 18);
        await ExecuteAsync(connection, migration18.Sql);
        await ExecuteAsync(connection, migration18.Sql);

        var totals = new List<string>();
        await using var command = new NpgsqlCommand(
            "SELECT tenant_id || ' ' || to_char(hour AT TIME ZONE 'UTC', 'HH24') || ' ' || messages_user || ' ' || api_calls || ' ' || peak_connections FROM stats_hourly WHERE app_id = '*' ORDER BY 1",
            connection);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                totals.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["t1 10 12 30 7", "t1 11 1 1 0", "t2 10 100 100 2"], totals);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
