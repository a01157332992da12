using AppMsg.Common;
using AppMsg.Directory;
using Npgsql;

namespace AppMsg.Grains.Directory;

/// <summary>The SQL rows behind user lists and username look-ups (table <c>dir_users</c>).</summary>
public sealed class UserIndex(NpgsqlDataSource database)
{
    private const string UniqueViolation = "23505";

    /// <summary>Claims the username in the tenant; false when another user has it.</summary>
    public async Task<bool> TryInsertAsync(string userId, string tenantId, string username, string displayName)
    {
        await using var command = database.CreateCommand(
            "INSERT INTO dir_users (user_id, tenant_id, username, username_key, display_name) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(username);
        command.Parameters.AddWithValue(Key(username));
        command.Parameters.AddWithValue(displayName);
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string userId)
    {
        await database.ExecuteAsync("DELETE FROM dir_users WHERE user_id = $1", userId);
    }

    public async Task UpdateAsync(string userId, string displayName, UserStatus status)
    {
        await database.ExecuteAsync("UPDATE dir_users SET display_name = $2, status = $3 WHERE user_id = $1", userId, displayName, (short)status);
    }

    public async Task<string?> FindAsync(string tenantId, string username)
    {
        await using var command = database.CreateCommand("SELECT user_id FROM dir_users WHERE tenant_id = $1 AND username_key = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(Key(username));
        return (string?)await command.ExecuteScalarAsync();
    }

    public async Task<Page<UserSummary>> ListAsync(string tenantId, string? prefix, string? after, int limit)
    {
        var prefixKey = Key(prefix ?? "");
        await using var command = database.CreateCommand("""
            SELECT user_id, username, display_name, status, username_key
              FROM dir_users
             WHERE tenant_id = $1
               AND username_key >= $2 AND username_key < $2 || chr(1114111)
               AND username_key > $3
             ORDER BY username_key
             LIMIT $4
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(prefixKey);
        command.Parameters.AddWithValue(Cursor.Decode(after) ?? "");
        command.Parameters.AddWithValue(limit + 1);
        return await KeysetPages.ReadAsync(
            command,
            limit,
            r => new UserSummary(r.GetString(0), r.GetString(1), r.GetString(2), (UserStatus)r.GetInt16(3)),
            u => Cursor.Encode(Key(u.Username)));
    }

    private static string Key(string username) => username.ToLowerInvariant();
}
