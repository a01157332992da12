using AppMsg.Common;
using AppMsg.Directory;
using Npgsql;

namespace AppMsg.Grains.Directory;

/// <summary>The SQL rows behind qun lists (tables <c>dir_quns</c> and <c>dir_qun_members</c>).</summary>
public sealed class QunIndex(NpgsqlDataSource database)
{
    private const string UpsertMembers = """
        INSERT INTO dir_qun_members (qun_id, user_id, role)
        SELECT $1, u.user_id, u.role FROM unnest($2::text[], $3::smallint[]) AS u (user_id, role)
        ON CONFLICT (qun_id, user_id) DO UPDATE SET role = excluded.role
        """;

    /// <summary>Writes a new qun and its members in one transaction.</summary>
    public async Task CreateAsync(string qunId, string tenantId, string name, string ownerId, IReadOnlyCollection<KeyValuePair<string, QunRole>> members)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(
            "INSERT INTO dir_quns (qun_id, tenant_id, name, owner_id) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            command.Parameters.AddWithValue(qunId);
            command.Parameters.AddWithValue(tenantId);
            command.Parameters.AddWithValue(name);
            command.Parameters.AddWithValue(ownerId);
            await command.ExecuteNonQueryAsync();
        }

        await using (var command = MembersCommand(qunId, members, connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>Removes every row of a qun (undoing a failed creation).</summary>
    public async Task DeleteAsync(string qunId)
    {
        await database.ExecuteAsync("DELETE FROM dir_quns WHERE qun_id = $1", qunId);
    }

    public async Task RenameAsync(string qunId, string name)
    {
        await database.ExecuteAsync("UPDATE dir_quns SET name = $2 WHERE qun_id = $1", qunId, name);
    }

    /// <summary>Inserts members or changes their roles.</summary>
    public async Task UpsertMembersAsync(string qunId, IReadOnlyCollection<KeyValuePair<string, QunRole>> members)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = MembersCommand(qunId, members, connection, null);
        await command.ExecuteNonQueryAsync();
    }

    public async Task RemoveMemberAsync(string qunId, string userId)
    {
        await database.ExecuteAsync("DELETE FROM dir_qun_members WHERE qun_id = $1 AND user_id = $2", qunId, userId);
    }

    /// <summary>Hands the qun to a new owner; the previous owner becomes an admin.</summary>
    public async Task TransferAsync(string qunId, string previousOwnerId, string newOwnerId)
    {
        await using var command = database.CreateCommand($"""
            WITH o AS (UPDATE dir_quns SET owner_id = $4 WHERE qun_id = $1)
            {UpsertMembers}
            """);
        command.Parameters.AddWithValue(qunId);
        command.Parameters.AddWithValue(new[] { previousOwnerId, newOwnerId });
        command.Parameters.AddWithValue(new[] { (short)QunRole.Admin, (short)QunRole.Owner });
        command.Parameters.AddWithValue(newOwnerId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Marks the qun dissolved and drops its member rows.</summary>
    public async Task DissolveAsync(string qunId)
    {
        await using var command = database.CreateCommand(
            "WITH m AS (DELETE FROM dir_qun_members WHERE qun_id = $1) UPDATE dir_quns SET dissolved = true WHERE qun_id = $1");
        command.Parameters.AddWithValue(qunId);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<Page<QunMember>> ListMembersAsync(string qunId, string? after, int limit)
    {
        await using var command = database.CreateCommand("""
            SELECT user_id, role FROM dir_qun_members
             WHERE qun_id = $1 AND user_id > $2
             ORDER BY user_id
             LIMIT $3
            """);
        command.Parameters.AddWithValue(qunId);
        command.Parameters.AddWithValue(Cursor.Decode(after) ?? "");
        command.Parameters.AddWithValue(limit + 1);
        return await KeysetPages.ReadAsync(command, limit, r => new QunMember(r.GetString(0), (QunRole)r.GetInt16(1)), m => Cursor.Encode(m.UserId));
    }

    public async Task<Page<QunSummary>> ListUserQunsAsync(string userId, string? after, int limit)
    {
        await using var command = database.CreateCommand("""
            SELECT q.qun_id, q.name, m.role
              FROM dir_qun_members m JOIN dir_quns q ON q.qun_id = m.qun_id
             WHERE m.user_id = $1 AND m.qun_id > $2 AND NOT q.dissolved
             ORDER BY m.qun_id
             LIMIT $3
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(Cursor.Decode(after) ?? "");
        command.Parameters.AddWithValue(limit + 1);
        return await KeysetPages.ReadAsync(command, limit, r => new QunSummary(r.GetString(0), r.GetString(1), (QunRole)r.GetInt16(2)), q => Cursor.Encode(q.Id));
    }

    private static NpgsqlCommand MembersCommand(string qunId, IReadOnlyCollection<KeyValuePair<string, QunRole>> members, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var command = new NpgsqlCommand(UpsertMembers, connection, transaction);
        command.Parameters.AddWithValue(qunId);
        command.Parameters.AddWithValue(members.Select(m => m.Key).ToArray());
        command.Parameters.AddWithValue(members.Select(m => (short)m.Value).ToArray());
        return command;
    }
}
