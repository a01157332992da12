using AppMsg.Statistics;
using Npgsql;
using NpgsqlTypes;

namespace AppMsg.Grains.Statistics;

/// <summary>
/// The table <c>stats_hourly</c> (migration 11): one upsert per batch of rows (with their tenants' total rows, migration 18),
/// sums by hour or day on read: a tenant's or an app's query reads at most one row per hour of its range.
/// </summary>
public sealed class StatsStore(NpgsqlDataSource database)
{
    private static readonly string[] Columns =
    [
        "messages_user", "messages_qun", "messages_org", "messages_tenant", "messages_app", "messages_session", "bytes_stored",
        "deliveries_live", "deliveries_replay", "acknowledgements", "api_calls", "quota_refusals", "peak_connections",
        "notifications_sent", "notifications_failed", "notifications_pruned",
    ];

    private static readonly string Upsert = $"""
        INSERT INTO stats_hourly (tenant_id, app_id, hour, {string.Join(", ", Columns)})
        SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], {string.Join(", ", Columns.Select((_, i) => $"${i + 4}::bigint[]"))})
        ON CONFLICT (tenant_id, app_id, hour) DO UPDATE SET
        {string.Join(",\n", Columns.Select(c => c == "peak_connections"
            ? $"{c} = greatest(stats_hourly.{c}, excluded.{c})"
            : $"{c} = stats_hourly.{c} + excluded.{c}"))}
        """;

    private static readonly string Sums = string.Join(", ", Columns.Select(c => c == "peak_connections" ? $"max({c})" : $"sum({c})::bigint"));

    /// <summary>
    /// The app id of a tenant's total row of an hour (migration 18): the sum of all its other rows, written with them, so
    /// a tenant's statistics read one row per hour however many apps it has. App ids are never <c>*</c>.
    /// </summary>
    public const string TenantTotal = "*";

    /// <summary>Adds the rows' counts and their tenants' totals; rows of one key are merged first (one statement cannot change a row twice).</summary>
    public async Task AddAsync(IReadOnlyList<StatsRow> rows)
    {
        var merged = new Dictionary<(string, string, DateTimeOffset), long[]>();
        foreach (var row in rows)
        {
            Merge(merged, (row.TenantId, row.AppId, row.At), row.Counts);
            Merge(merged, (row.TenantId, TenantTotal, row.At), row.Counts);
        }

        if (merged.Count == 0)
        {
            return;
        }

        await using var command = database.CreateCommand(Upsert);
        command.Parameters.Add(new NpgsqlParameter { Value = merged.Keys.Select(k => k.Item1).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = merged.Keys.Select(k => k.Item2).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = merged.Keys.Select(k => k.Item3.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        for (var i = 0; i < StatsRow.CounterCount; i++)
        {
            var column = i;
            command.Parameters.Add(new NpgsqlParameter { Value = merged.Values.Select(c => c[column]).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        }

        await command.ExecuteNonQueryAsync();
    }

    private static void Merge(Dictionary<(string, string, DateTimeOffset), long[]> merged, (string, string, DateTimeOffset) key, long[] added)
    {
        if (!merged.TryGetValue(key, out var counts))
        {
            merged[key] = counts = new long[StatsRow.CounterCount];
        }

        for (var i = 0; i < StatsRow.CounterCount; i++)
        {
            counts[i] = i == (int)StatsCounter.PeakConnections ? Math.Max(counts[i], added[i]) : counts[i] + added[i];
        }
    }

    public async Task<IReadOnlyList<StatsRow>> QueryAsync(StatsQuery query)
    {
        var bucket = query.Granularity == StatsGranularity.Day ? "date_trunc('day', hour, 'UTC')" : "hour";
        var sql = $"""
            SELECT {bucket} AS at, {Sums} FROM stats_hourly
            WHERE tenant_id = $1 AND app_id = coalesce($2::text, '{TenantTotal}') AND hour >= $3 AND hour < $4
            GROUP BY 1 ORDER BY 1
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue(query.TenantId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.AppId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(query.From.UtcDateTime);
        command.Parameters.AddWithValue(query.To.UtcDateTime);
        var rows = new List<StatsRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var counts = new long[StatsRow.CounterCount];
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = reader.IsDBNull(i + 1) ? 0 : reader.GetInt64(i + 1);
            }

            rows.Add(new StatsRow(query.TenantId, query.AppId ?? "", new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), counts));
        }

        return rows;
    }
}
