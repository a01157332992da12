using System.Globalization;
using AppMsg.Common;
using AppMsg.Directory;
using Npgsql;

namespace AppMsg.Grains.Directory;

/// <summary>
/// The SQL rows behind org trees and org member lists (tables <c>dir_orgs</c> and <c>dir_org_members</c>).
/// The tree's shape is decided here, in transactions, so that concurrent changes cannot make a cycle
/// or orphan a child.
/// </summary>
public sealed class OrgIndex(NpgsqlDataSource database)
{
    /// <summary>What a move came to.</summary>
    public enum MoveResult
    {
        Moved,
        ParentNotFound,
        Cycle,
    }

    private const string ForeignKeyViolation = "23503";

    private const string Columns = "org_id, tenant_id, parent_id, name, sort_order, created_at";

    /// <summary>Inserts the org; false when the parent is not an org of the same tenant.</summary>
    public async Task<bool> TryInsertAsync(OrgInfo org)
    {
        await using var command = database.CreateCommand($"""
            INSERT INTO dir_orgs ({Columns})
            SELECT $1, $2, $3, $4, $5, $6
             WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM dir_orgs WHERE org_id = $3 AND tenant_id = $2)
            """);
        command.Parameters.AddWithValue(org.Id);
        command.Parameters.AddWithValue(org.TenantId);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)org.ParentId ?? DBNull.Value);
        command.Parameters.AddWithValue(org.Name);
        command.Parameters.AddWithValue(org.SortOrder);
        command.Parameters.AddWithValue(org.CreatedAt);
        try
        {
            return await command.ExecuteNonQueryAsync() == 1;
        }
        catch (PostgresException e) when (e.SqlState == ForeignKeyViolation)
        {
            return false; // the parent was deleted meanwhile
        }
    }

    /// <summary>Deletes the org's row; false while it has children.</summary>
    public async Task<bool> TryDeleteAsync(string orgId)
    {
        await using var command = database.CreateCommand("DELETE FROM dir_orgs WHERE org_id = $1");
        command.Parameters.AddWithValue(orgId);
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == ForeignKeyViolation)
        {
            return false;
        }
    }

    public async Task UpdateAsync(string orgId, string name, int sortOrder)
    {
        await database.ExecuteAsync("UPDATE dir_orgs SET name = $2, sort_order = $3 WHERE org_id = $1", orgId, name, sortOrder);
    }

    /// <summary>
    /// Moves the org under <paramref name="parentId"/> (null: to the root) unless the parent is not an
    /// org of the tenant or lies in the org's own subtree. Moves in one tenant take turns (an advisory
    /// lock), so two crossing moves cannot both pass the cycle check.
    /// </summary>
    public async Task<MoveResult> MoveAsync(string orgId, string tenantId, string? parentId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('dir_orgs/' || $1, 0))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue(tenantId);
            await lockCommand.ExecuteNonQueryAsync();
        }

        if (parentId is not null)
        {
            await using var check = new NpgsqlCommand("""
                WITH RECURSIVE up (org_id, parent_id) AS (
                    SELECT org_id, parent_id FROM dir_orgs WHERE org_id = $1 AND tenant_id = $3
                    UNION
                    SELECT o.org_id, o.parent_id FROM dir_orgs o JOIN up ON o.org_id = up.parent_id
                )
                SELECT EXISTS (SELECT 1 FROM up), EXISTS (SELECT 1 FROM up WHERE org_id = $2)
                """, connection, transaction);
            check.Parameters.AddWithValue(parentId);
            check.Parameters.AddWithValue(orgId);
            check.Parameters.AddWithValue(tenantId);
            await using var reader = await check.ExecuteReaderAsync();
            await reader.ReadAsync();
            if (!reader.GetBoolean(0))
            {
                return MoveResult.ParentNotFound;
            }

            if (reader.GetBoolean(1))
            {
                return MoveResult.Cycle;
            }
        }

        await using (var update = new NpgsqlCommand("UPDATE dir_orgs SET parent_id = $2 WHERE org_id = $1", connection, transaction))
        {
            update.Parameters.AddWithValue(orgId);
            update.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)parentId ?? DBNull.Value);
            await update.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return MoveResult.Moved;
    }

    public async Task AddMemberAsync(string orgId, string userId)
    {
        await database.ExecuteAsync("INSERT INTO dir_org_members (org_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", orgId, userId);
    }

    public async Task RemoveMemberAsync(string orgId, string userId)
    {
        await database.ExecuteAsync("DELETE FROM dir_org_members WHERE org_id = $1 AND user_id = $2", orgId, userId);
    }

    /// <summary>The org and every org below it (a message to an org reaches the members of its sub-orgs).</summary>
    public Task<IReadOnlyList<string>> SubtreeAsync(string orgId) => database.ReadStringsAsync("""
        WITH RECURSIVE tree (org_id) AS (
            SELECT org_id FROM dir_orgs WHERE org_id = $1
            UNION
            SELECT o.org_id FROM dir_orgs o JOIN tree t ON o.parent_id = t.org_id
        )
        SELECT org_id FROM tree
        """, orgId);

    /// <summary>The orgs and every org above them (whose messages their members receive).</summary>
    public Task<IReadOnlyList<string>> WithAncestorsAsync(IReadOnlyList<string> orgIds) => database.ReadStringsAsync("""
        WITH RECURSIVE up (org_id, parent_id) AS (
            SELECT org_id, parent_id FROM dir_orgs WHERE org_id = ANY ($1)
            UNION
            SELECT o.org_id, o.parent_id FROM dir_orgs o JOIN up ON o.org_id = up.parent_id
        )
        SELECT org_id FROM up ORDER BY org_id
        """, (object)orgIds.ToArray());

    /// <summary>Every child of an org, by sort order then id.</summary>
    public async Task<IReadOnlyList<OrgInfo>> ChildrenAsync(string orgId) =>
        (await ListChildrenAsync(orgId, null, int.MaxValue - 1)).Items;

    public async Task<Page<OrgInfo>> ListChildrenAsync(string parentId, string? after, int limit)
    {
        var (sortOrder, orgId) = DecodeTreeCursor(after);
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM dir_orgs
             WHERE parent_id = $1 AND (sort_order, org_id) > ($2, $3)
             ORDER BY sort_order, org_id
             LIMIT $4
            """);
        command.Parameters.AddWithValue(parentId);
        command.Parameters.AddWithValue(sortOrder);
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(limit + 1);
        return await ReadOrgsAsync(command, limit);
    }

    public async Task<Page<OrgInfo>> ListRootsAsync(string tenantId, string? after, int limit)
    {
        var (sortOrder, orgId) = DecodeTreeCursor(after);
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM dir_orgs
             WHERE tenant_id = $1 AND parent_id IS NULL AND (sort_order, org_id) > ($2, $3)
             ORDER BY sort_order, org_id
             LIMIT $4
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(sortOrder);
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(limit + 1);
        return await ReadOrgsAsync(command, limit);
    }

    /// <summary>The members of an org, and with <paramref name="includeSubOrgs"/> of its whole subtree, each user once, by user id.</summary>
    public async Task<Page<UserSummary>> ListMembersAsync(string orgId, bool includeSubOrgs, string? after, int limit)
    {
        await using var command = database.CreateCommand("""
            WITH RECURSIVE tree (org_id) AS (
                SELECT $1::text COLLATE "C"
                UNION
                SELECT o.org_id FROM dir_orgs o JOIN tree t ON o.parent_id = t.org_id WHERE $2
            ), ids AS (
                SELECT DISTINCT m.user_id
                  FROM dir_org_members m JOIN tree t ON m.org_id = t.org_id
                 WHERE m.user_id > $3
                 ORDER BY m.user_id
                 LIMIT $4
            )
            SELECT ids.user_id, u.username, u.display_name, u.status
              FROM ids JOIN dir_users u ON u.user_id = (ids.user_id COLLATE "default")
             ORDER BY ids.user_id
            """);
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(includeSubOrgs);
        command.Parameters.AddWithValue(Cursor.Decode(after) ?? "");
        command.Parameters.AddWithValue(limit + 1);
        return await KeysetPages.ReadAsync(
            command,
            limit,
            r => new UserSummary(r.GetString(0), r.GetString(1), r.GetString(2), (UserStatus)r.GetInt16(3)),
            u => Cursor.Encode(u.Id));
    }

    private static async Task<Page<OrgInfo>> ReadOrgsAsync(NpgsqlCommand command, int limit)
    {
        return await KeysetPages.ReadAsync(
            command,
            limit,
            r => new OrgInfo(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetInt32(4),
                r.GetFieldValue<DateTimeOffset>(5)),
            EncodeTreeCursor);
    }

    private static string EncodeTreeCursor(OrgInfo last) =>
        Cursor.Encode(string.Create(CultureInfo.InvariantCulture, $"{last.SortOrder}/{last.Id}"));

    /// <summary>The position after which a page of siblings starts; before every org for no cursor.</summary>
    private static (int SortOrder, string OrgId) DecodeTreeCursor(string? after)
    {
        var text = Cursor.Decode(after);
        if (text is null)
        {
            return (int.MinValue, "");
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && int.TryParse(text.AsSpan(0, slash), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sortOrder)
            ? (sortOrder, text[(slash + 1)..])
            : throw AppMsgException.Invalid("after", "after is not a cursor from a previous page");
    }
}
