using AppMsg.Conversations;
using Npgsql;

namespace AppMsg.Grains.Conversations;

/// <summary>Finds a message's stored copies and replaces their content with a tombstone (recall).</summary>
public sealed class RecallStore(NpgsqlDataSource database)
{
    /// <summary>Every stored row of the message (the original, and a 1:1 message's sender copy), original first.</summary>
    public async Task<List<StoredMessageInfo>> FindCopiesAsync(string messageId)
    {
        await using var command = database.CreateCommand("""
            SELECT message_id, timeline, seq, sender, created_at, recalled_at IS NOT NULL
              FROM msg_messages WHERE message_id = $1
             ORDER BY timeline = sender, timeline
            """);
        command.Parameters.AddWithValue(messageId);
        var copies = new List<StoredMessageInfo>(2);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            copies.Add(new StoredMessageInfo(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5)));
        }

        return copies;
    }

    /// <summary>The stored envelope of one row, if it is not recalled yet.</summary>
    public async Task<byte[]?> EnvelopeAsync(string timeline, long seq)
    {
        await using var command = database.CreateCommand("SELECT envelope FROM msg_messages WHERE timeline = $1 AND seq = $2 AND recalled_at IS NULL");
        command.Parameters.AddWithValue(timeline);
        command.Parameters.AddWithValue(seq);
        return await command.ExecuteScalarAsync() as byte[];
    }

    /// <summary>
    /// Replaces the row's envelope with <paramref name="tombstone"/>: the content is gone from the store (the conversation
    /// index holds none); false when it was recalled already.
    /// </summary>
    public async Task<bool> TombstoneAsync(string timeline, long seq, byte[] tombstone)
    {
        await using var command = database.CreateCommand("""
            UPDATE msg_messages SET envelope = $3, recalled_at = now(), media_id = NULL
             WHERE timeline = $1 AND seq = $2 AND recalled_at IS NULL
            """);
        command.Parameters.AddWithValue(timeline);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue(tombstone);
        return await command.ExecuteNonQueryAsync() > 0;
    }
}
