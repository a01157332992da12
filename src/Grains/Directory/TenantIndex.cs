using AppMsg.Common;
using AppMsg.Directory;
using Npgsql;

namespace AppMsg.Grains.Directory;

/// <summary>The SQL rows behind the tenant list (table <c>dir_tenants</c>, migration 18).</summary>
public sealed class TenantIndex(NpgsqlDataSource database)
{
    /// <summary>The grain type Orleans stores <see cref="TenantGrain"/>'s state under.</summary>
    public const string GrainType = "tenant";

    // $1 service id, $2 grain type. A string key is stored in grainidextensionstring; a key that reads as a hexadecimal
    // number (an id made only of 0-9 and a-f) is stored by Orleans as that number in grainidn1, written back here as 16
    // lower-case hex digits, the id's own form.
    private const string Backfill = """
        INSERT INTO dir_tenants (tenant_id, name, name_key, disabled, created_at)
        SELECT coalesce(s.grainidextensionstring, lpad(to_hex(s.grainidn1), 16, '0')),
               t.state ->> 'Name', lower(t.state ->> 'Name'),
               coalesce((t.state ->> 'Disabled')::boolean, false),
               coalesce((t.state ->> 'CreatedAt')::timestamptz, now())
          FROM orleansstorage s
          CROSS JOIN LATERAL (SELECT convert_from(s.payloadbinary, 'UTF8')::jsonb AS state) t
         WHERE s.serviceid = $1 AND s.graintypestring = $2 AND s.payloadbinary IS NOT NULL
           AND t.state ->> 'Name' IS NOT NULL
        ON CONFLICT (tenant_id) DO NOTHING
        """;

    /// <summary>Writes the tenant's row (created, renamed, disabled or enabled).</summary>
    public Task UpsertAsync(string tenantId, string name, bool disabled, DateTimeOffset createdAt) => database.ExecuteAsync("""
        INSERT INTO dir_tenants (tenant_id, name, name_key, disabled, created_at) VALUES ($1, $2, lower($2), $3, $4)
        ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, disabled = excluded.disabled
        """, tenantId, name, disabled, createdAt);

    public Task DeleteAsync(string tenantId) => database.ExecuteAsync("DELETE FROM dir_tenants WHERE tenant_id = $1", tenantId);

    /// <summary>
    /// Adds a row for every tenant whose grain state has none (tenants created before the table existed); rows present
    /// are left as they are. One statement; returns the rows added.
    /// </summary>
    public Task<int> BackfillAsync(string serviceId) => database.ExecuteAsync(Backfill, serviceId, GrainType);

    /// <summary>A page of tenants whose name starts with <paramref name="namePrefix"/> (case-insensitive), by name then id.</summary>
    public async Task<Page<TenantSummary>> ListAsync(string? namePrefix, string? after, int limit)
    {
        var (name, tenantId) = DecodeCursor(after);
        await using var command = database.CreateCommand("""
            SELECT tenant_id, name, disabled, created_at
              FROM dir_tenants
             WHERE name_key >= lower($1) AND name_key < lower($1) || chr(1114111)
               AND (name_key, tenant_id) > (lower($2), $3)
             ORDER BY name_key, tenant_id
             LIMIT $4
            """);
        command.Parameters.AddWithValue(namePrefix ?? "");
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(limit + 1);
        return await KeysetPages.ReadAsync(
            command,
            limit,
            r => new TenantSummary(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetFieldValue<DateTimeOffset>(3)),
            last => Cursor.Encode(last.Id + last.Name));
    }

    // The cursor is the last row's id (always Ids.Length characters) followed by its name.
    private static (string Name, string TenantId) DecodeCursor(string? after)
    {
        var key = Cursor.Decode(after);
        if (key is null)
        {
            return ("", "");
        }

        return key.Length >= Ids.Length && Ids.IsValid(key[..Ids.Length])
            ? (key[Ids.Length..], key[..Ids.Length])
            : throw AppMsgException.Invalid("after", "after is not a cursor from a previous page");
    }
}
