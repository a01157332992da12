using AppMsg.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace AppMsg.Grains.Conversations;

/// <summary>
/// Reads the conversation index and moves read marks (table <c>msg_conversations</c>, migration 13). Unread counts are
/// counted on demand, only over the messages after each read mark (an index range of the timeline), and only for the
/// conversations on the page asked for: never a scan of every timeline. The index holds no content: each entry's newest
/// message is read from the store by its (timeline, seq), so a recalled one is its tombstone and an expired one is null.
/// </summary>
public sealed class ConversationStore(NpgsqlDataSource database)
{
    // The user's conversations: 1:1 rows of the index, and the heads of the user's quns with the user's read marks.
    // unread_after: unread counts from the read mark, or in a qun from the member's join when that is later (migration 17).
    private const string Conversations = """
        conversations AS (
            SELECT c.address, c.last_seq, c.last_at, c.read_seq, c.peer_read_at, false AS is_qun, c.read_seq AS unread_after
              FROM msg_conversations c
             WHERE c.owner = $1 AND c.last_at IS NOT NULL AND c.address NOT LIKE '%@qun'
            UNION ALL
            SELECT h.address, h.last_seq, h.last_at, coalesce(r.read_seq, 0), NULL, true, greatest(coalesce(r.read_seq, 0), coalesce(r.joined_seq, 0))
              FROM msg_conversations h
              LEFT JOIN msg_conversations r ON r.owner = $1 AND r.address = h.address
             WHERE h.owner = '' AND h.address = ANY($2)
        )
        """;

    // Messages from others after the read mark that are still kept: in the user's inbox from the peer, or in the qun from
    // anyone else. `self` is the SQL for the user's address (id@user), its inbox.
    private static string UnreadOf(string self) => $"""
        (SELECT count(*) FROM msg_messages m
          WHERE m.timeline = CASE WHEN p.is_qun THEN p.address ELSE {self} END
            AND m.seq > p.unread_after
            AND CASE WHEN p.is_qun THEN m.sender <> {self} ELSE m.sender = p.address END
            AND m.recalled_at IS NULL
            AND (m.expires_at IS NULL OR m.expires_at > now()))
        """;

    private static readonly string Unread = UnreadOf("$3");

    // The unread totals of many users at once ($1 their ids): their 1:1 conversations, and their quns from the qun member
    // lists (dir_qun_members, which the qun grains keep in step with the users' memberships), so no grain is asked.
    private static readonly string UnreadTotals = $"""
        WITH users AS (SELECT DISTINCT unnest($1::text[]) AS user_id),
        conversations AS (
            SELECT u.user_id, u.user_id || '@user' AS self, c.address, c.read_seq, false AS is_qun, c.read_seq AS unread_after
              FROM users u JOIN msg_conversations c ON c.owner = u.user_id
             WHERE c.last_at IS NOT NULL AND c.address NOT LIKE '%@qun'
            UNION ALL
            SELECT u.user_id, u.user_id || '@user', h.address, coalesce(r.read_seq, 0), true,
                   greatest(coalesce(r.read_seq, 0), coalesce(r.joined_seq, 0))
              FROM users u
              JOIN dir_qun_members q ON q.user_id = u.user_id COLLATE "C"
              JOIN msg_conversations h ON h.owner = '' AND h.address = (q.qun_id || '@qun') COLLATE "default"
              LEFT JOIN msg_conversations r ON r.owner = u.user_id AND r.address = h.address
        )
        SELECT p.user_id, coalesce(sum({UnreadOf("p.self")}), 0)::bigint FROM conversations p GROUP BY p.user_id
        """;

    /// <summary>A page of the user's conversations, newest activity first, after the cursor (last activity, address).</summary>
    public async Task<List<ConversationSummary>> ListAsync(string userId, IReadOnlyList<string> quns, (DateTimeOffset At, string Address)? after, int limit)
    {
        await using var command = database.CreateCommand($"""
            WITH {Conversations},
            page AS (
                SELECT * FROM conversations
                 WHERE $4::timestamptz IS NULL OR (last_at, address) < ($4, $5)
                 ORDER BY last_at DESC, address DESC
                 LIMIT $6
            )
            SELECT p.address, newest.envelope, {Unread}, p.last_seq, p.read_seq, p.peer_read_at, p.last_at
              FROM page p
              LEFT JOIN msg_messages newest
                ON newest.timeline = CASE WHEN p.is_qun THEN p.address ELSE $3 END AND newest.seq = p.last_seq
               AND (newest.expires_at IS NULL OR newest.expires_at > now())
             ORDER BY p.last_at DESC, p.address DESC
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.Add(new NpgsqlParameter { Value = quns.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.AddWithValue($"{userId}@user");
        command.Parameters.Add(new NpgsqlParameter { Value = after is { } a ? a.At : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.Address ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit);
        var page = new List<ConversationSummary>(limit);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            page.Add(new ConversationSummary(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? 0 : reader.GetInt64(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? 0 : reader.GetFieldValue<DateTimeOffset>(5).ToUnixTimeMilliseconds(),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return page;
    }

    /// <summary>The user's unread messages over all its conversations.</summary>
    public async Task<long> UnreadTotalAsync(string userId, IReadOnlyList<string> quns)
    {
        await using var command = database.CreateCommand($"""
            WITH {Conversations}
            SELECT coalesce(sum({Unread}), 0)::bigint FROM conversations p
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.Add(new NpgsqlParameter { Value = quns.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.AddWithValue($"{userId}@user");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The unread totals of many users in one statement (as <see cref="UnreadTotalAsync"/> counts them); a user with no
    /// conversation is left out (its total is 0).
    /// </summary>
    public async Task<Dictionary<string, long>> UnreadTotalsAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellation = default)
    {
        await using var command = database.CreateCommand(UnreadTotals);
        command.Parameters.Add(new NpgsqlParameter { Value = userIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var totals = new Dictionary<string, long>(userIds.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            totals[reader.GetString(0)] = reader.GetInt64(1);
        }

        return totals;
    }

    /// <summary>
    /// Moves the user's read mark in a conversation forward to <paramref name="seq"/>, clamped to the last seq of
    /// <paramref name="timeline"/> (the user's inbox for 1:1, the qun); returns the mark and what is still unread.
    /// </summary>
    public async Task<(long Seq, long Unread)> MarkReadAsync(string userId, string conversation, string timeline, bool isQun, long seq)
    {
        await using var command = database.CreateCommand("""
            WITH mark AS (
                INSERT INTO msg_conversations AS c (owner, address, read_seq)
                VALUES ($1, $2, least($3, (SELECT coalesce(max(seq), 0) FROM msg_messages WHERE timeline = $4)))
                ON CONFLICT (owner, address) DO UPDATE SET read_seq = greatest(c.read_seq, excluded.read_seq)
                RETURNING read_seq, joined_seq
            )
            SELECT mark.read_seq,
                   (SELECT count(*) FROM msg_messages m
                     WHERE m.timeline = $4 AND m.seq > greatest(mark.read_seq, mark.joined_seq)
                       AND CASE WHEN $5 THEN m.sender <> $6 ELSE m.sender = $2 END
                       AND m.recalled_at IS NULL
                       AND (m.expires_at IS NULL OR m.expires_at > now()))
              FROM mark
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(conversation);
        command.Parameters.AddWithValue(Math.Max(0, seq));
        command.Parameters.AddWithValue(timeline);
        command.Parameters.AddWithValue(isQun);
        command.Parameters.AddWithValue($"{userId}@user");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Members added to a qun: each one's read-mark row records the qun's last seq now (<c>joined_seq</c>), so unread
    /// counts start there; a member added again (after leaving) counts from the new join.
    /// </summary>
    public async Task RecordJoinAsync(string qun, IReadOnlyList<string> userIds)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO msg_conversations AS c (owner, address, joined_seq)
            SELECT u, $1, (SELECT coalesce(max(seq), 0) FROM msg_messages WHERE timeline = $1) FROM unnest($2::text[]) u
            ON CONFLICT (owner, address) DO UPDATE SET joined_seq = excluded.joined_seq
            """);
        command.Parameters.AddWithValue(qun);
        command.Parameters.Add(new NpgsqlParameter { Value = userIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// 1:1: the newest message from <paramref name="peer"/> the user has now read (in the user's inbox up to
    /// <paramref name="readSeq"/>), recorded in the peer's index row as read by the user; null when there is none, or
    /// when it is not newer than what the peer was already told was read (so a repeated or older mark sends nothing).
    /// </summary>
    public async Task<(string MessageId, DateTimeOffset At)?> RecordPeerReadAsync(string userId, string peer, long readSeq)
    {
        await using var command = database.CreateCommand("""
            WITH newest AS (
                SELECT message_id, created_at FROM msg_messages
                 WHERE timeline = $1 AND seq <= $2 AND sender = $3
                 ORDER BY seq DESC LIMIT 1
            ), recorded AS (
                INSERT INTO msg_conversations AS c (owner, address, peer_read_at)
                SELECT $4, $1, created_at FROM newest
                ON CONFLICT (owner, address) DO UPDATE SET peer_read_at = excluded.peer_read_at
                 WHERE c.peer_read_at IS NULL OR c.peer_read_at < excluded.peer_read_at
                RETURNING 1
            )
            SELECT message_id, created_at FROM newest WHERE EXISTS (SELECT 1 FROM recorded)
            """);
        command.Parameters.AddWithValue($"{userId}@user");
        command.Parameters.AddWithValue(readSeq);
        command.Parameters.AddWithValue(peer);
        command.Parameters.AddWithValue(Common.Address.TryParse(peer, out var address) ? address.Id : peer);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>How many members other than the sender have a read mark at or past <paramref name="seq"/> in the qun.</summary>
    public async Task<long> CountReadsAsync(string qun, long seq, string senderUserId)
    {
        await using var command = database.CreateCommand("""
            SELECT count(*) FROM msg_conversations WHERE address = $1 AND owner <> '' AND owner <> $3 AND read_seq >= $2
            """);
        command.Parameters.AddWithValue(qun);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue(senderUserId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
