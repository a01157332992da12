using AppMsg.Common;
using AppMsg.Directory;
using Npgsql;

namespace AppMsg.Grains.Directory;

/// <summary>The SQL rows behind app lists (table <c>dir_apps</c>).</summary>
public sealed class AppIndex(NpgsqlDataSource database)
{
    public async Task UpsertAsync(string appId, string tenantId, string name)
    {
        await using var command = database.CreateCommand(
            "INSERT INTO dir_apps (app_id, tenant_id, name) VALUES ($1, $2, $3) ON CONFLICT (app_id) DO UPDATE SET name = excluded.name");
        command.Parameters.AddWithValue(appId);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(name);
        await command.ExecuteNonQueryAsync();
    }

    public Task DeleteAsync(string appId) => database.ExecuteAsync("DELETE FROM dir_apps WHERE app_id = $1", appId);

    /// <summary>The ids of a tenant's apps (whose broadcasts its users receive).</summary>
    public Task<IReadOnlyList<string>> TenantAppIdsAsync(string tenantId) =>
        database.ReadStringsAsync("SELECT app_id FROM dir_apps WHERE tenant_id = $1 ORDER BY app_id", tenantId);

    /// <summary>A page of a tenant's apps, by id.</summary>
    public async Task<Page<AppSummary>> ListAsync(string tenantId, string? after, int limit)
    {
        await using var command = database.CreateCommand("""
            SELECT app_id, name, created_at FROM dir_apps
             WHERE tenant_id = $1 AND app_id > $2
             ORDER BY app_id
             LIMIT $3
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(Cursor.Decode(after) ?? "");
        command.Parameters.AddWithValue(limit + 1);
        return await KeysetPages.ReadAsync(
            command,
            limit,
            r => new AppSummary(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2)),
            a => Cursor.Encode(a.Id));
    }
}
