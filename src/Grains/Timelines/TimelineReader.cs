using Npgsql;

namespace AppMsg.Grains.Timelines;

/// <summary>Reads timelines: the owner's last sequence number, and pages of messages for replay and history.</summary>
public sealed class TimelineReader(NpgsqlDataSource database)
{
    /// <summary>The highest seq stored in the timeline, 0 when it is empty.</summary>
    public async Task<long> LastSeqAsync(string timeline)
    {
        await using var command = database.CreateCommand("SELECT coalesce(max(seq), 0) FROM msg_messages WHERE timeline = $1");
        command.Parameters.AddWithValue(timeline);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The highest seq stored in each timeline (0 when empty), in one query, by timeline.</summary>
    public async Task<Dictionary<string, long>> LastSeqsAsync(IReadOnlyCollection<string> timelines)
    {
        await using var command = database.CreateCommand("""
            SELECT t.timeline, (SELECT coalesce(max(m.seq), 0) FROM msg_messages m WHERE m.timeline = t.timeline)
              FROM unnest($1::text[]) AS t(timeline)
            """);
        command.Parameters.AddWithValue(timelines.ToArray());
        var heads = new Dictionary<string, long>(timelines.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            heads[reader.GetString(0)] = reader.GetInt64(1);
        }

        return heads;
    }

    /// <summary>Messages after <paramref name="afterSeq"/> in seq order, skipping expired ones.</summary>
    public async Task<IReadOnlyList<StoredMessage>> ReadAsync(string timeline, long afterSeq, int limit)
    {
        await using var command = database.CreateCommand("""
            SELECT timeline, seq, message_id, sender, created_at, expires_at, envelope, terminal_types
              FROM msg_messages
             WHERE timeline = $1 AND seq > $2 AND (expires_at IS NULL OR expires_at > now())
             ORDER BY seq
             LIMIT $3
            """);
        command.Parameters.AddWithValue(timeline);
        command.Parameters.AddWithValue(afterSeq);
        command.Parameters.AddWithValue(limit);
        var messages = new List<StoredMessage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            messages.Add(new StoredMessage(
                reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<byte[]>(6), reader.GetInt16(7)));
        }

        return messages;
    }

    /// <summary>Where the sender's message with this clientMsgId went in the timeline, within the last 24 hours; null if nowhere.</summary>
    public async Task<(string MessageId, long Seq)?> FindClientMessageAsync(string sender, string clientMsgId, string timeline)
    {
        await using var command = database.CreateCommand("""
            SELECT message_id, seq FROM msg_client_ids
             WHERE sender = $1 AND client_msg_id = $2 AND timeline = $3 AND created_at > now() - interval '24 hours'
            """);
        command.Parameters.AddWithValue(sender);
        command.Parameters.AddWithValue(clientMsgId);
        command.Parameters.AddWithValue(timeline);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }
}
