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
}
