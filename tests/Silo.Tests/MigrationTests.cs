using AppMsg.Silo.Migrations;
using AppMsg.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AppMsg.Silo.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_again_to_a_migrated_one()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var migrator = new DatabaseMigrator(connectionString, NullLogger.Instance);

        Assert.Equal(DatabaseMigrator.KnownMigrations.Count, await migrator.MigrateAsync());
        Assert.Equal(0, await migrator.MigrateAsync());

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(DatabaseMigrator.LatestVersion, await DatabaseMigrator.CurrentVersionAsync(connection, default));
    }

    [Fact]
    public async Task The_schema_holds_every_query_the_Orleans_providers_need()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();

        var keys = await QueryListAsync(connectionString, "SELECT querykey FROM orleansquery ORDER BY querykey");

        string[] expected =
        [
            "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey",
            "DeleteReminderRowKey", "DeleteReminderRowsKey", "DeleteStorageKey", "GatewaysQueryKey", "InsertMembershipKey",
            "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "ReadFromStorageKey",
            "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "ReadReminderRowsKey", "UpdateIAmAlivetimeKey",
            "UpdateMembershipKey", "UpsertReminderRowKey", "WriteToStorageKey",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_migrators_starting_at_once_apply_each_migration_exactly_once()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var first = new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        var second = new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();

        var applied = await Task.WhenAll(first, second);

        Assert.Equal(DatabaseMigrator.KnownMigrations.Count, applied.Sum());
        var versions = await QueryListAsync(connectionString, "SELECT version::text AS v FROM appmsg_schema_version ORDER BY version");
        Assert.Equal(Enumerable.Range(1, DatabaseMigrator.LatestVersion).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), versions);
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused_and_left_untouched()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var migrator = new DatabaseMigrator(connectionString, NullLogger.Instance);
        await migrator.MigrateAsync();
        var future = DatabaseMigrator.LatestVersion + 1;
        await ExecuteAsync(connectionString, $"INSERT INTO appmsg_schema_version (version, name) VALUES ({future}, 'from_the_future')");

        var refused = await Assert.ThrowsAsync<SchemaTooNewException>(() => migrator.MigrateAsync());

        Assert.Equal(future, refused.DatabaseVersion);
        Assert.Contains("newer than this build supports", refused.Message, StringComparison.Ordinal);
        var versions = await QueryListAsync(connectionString, "SELECT version::text FROM appmsg_schema_version");
        Assert.Equal(DatabaseMigrator.LatestVersion + 1, versions.Count);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        // An index of that name already exists, so migration 2 fails after creating its table.
        await ExecuteAsync(connectionString, "CREATE TABLE blocker (x int); CREATE INDEX ux_orleansstorage_identity ON blocker (x)");
        var migrator = new DatabaseMigrator(connectionString, NullLogger.Instance);

        await Assert.ThrowsAsync<PostgresException>(() => migrator.MigrateAsync());

        var versions = await QueryListAsync(connectionString, "SELECT version::text FROM appmsg_schema_version");
        Assert.Equal(["1"], versions);
        var storageKeys = await QueryListAsync(connectionString, "SELECT querykey FROM orleansquery WHERE querykey LIKE '%Storage%'");
        Assert.Empty(storageKeys);
        var tables = await QueryListAsync(connectionString, "SELECT tablename::text FROM pg_tables WHERE tablename = 'orleansstorage'");
        Assert.Empty(tables);
    }

    private static async Task<List<string>> QueryListAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
