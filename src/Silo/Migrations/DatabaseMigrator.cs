using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AppMsg.Silo.Migrations;

/// <summary>
/// Applies the project's versioned SQL migrations (embedded resources named NNNN_name.sql) in order.
/// Each migration runs in its own transaction together with its version record, so a failure leaves
/// the database at the previous version. A session advisory lock keeps two silos that start at the
/// same moment from migrating at once: the second waits, then finds nothing to do.
/// </summary>
public sealed class DatabaseMigrator(string connectionString, ILogger logger)
{
    private const long AdvisoryLockKey = 0x4170704D73675F31; // "AppMsg_1"

    /// <summary>The migrations this build carries, in version order.</summary>
    public static IReadOnlyList<Migration> KnownMigrations { get; } = LoadEmbedded();

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => KnownMigrations[^1].Version;

    /// <summary>Brings the database to <see cref="LatestVersion"/>; returns the number of migrations applied.</summary>
    /// <exception cref="SchemaTooNewException">The database was migrated by a newer build.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS appmsg_schema_version (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var current = await CurrentVersionAsync(connection, cancellationToken);
            if (current > LatestVersion)
            {
                throw new SchemaTooNewException(current, LatestVersion);
            }

            var applied = 0;
            foreach (var migration in KnownMigrations.Where(m => m.Version > current))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                applied++;
            }

            if (applied == 0)
            {
                logger.LogInformation("Database schema is at version {Version}; nothing to migrate", current);
            }

            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The version recorded in the database, 0 for an empty database.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM appmsg_schema_version", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO appmsg_schema_version (version, name) VALUES (@version, @name)", connection, transaction))
        {
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        const string prefix = "AppMsg.Silo.Migrations.";
        var assembly = typeof(DatabaseMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[prefix.Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName[..separator], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration versions must run 1, 2, 3, ... without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }
}
