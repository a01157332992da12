using Npgsql;

namespace AppMsg.Grains.Timelines;

/// <summary>
/// Finds a stored message by its id (index <c>ix_msg_messages_message_id</c>, migration 11), without its envelope: the
/// original, not a 1:1 message's sender copy (which has the same id, in the sender's own inbox).
/// </summary>
public sealed class MessageLocator(NpgsqlDataSource database)
{
    public async Task<StoredMessage?> FindAsync(string messageId)
    {
        await using var command = database.CreateCommand("""
            SELECT timeline, seq, message_id, sender, created_at, expires_at, terminal_types
              FROM msg_messages WHERE message_id = $1
             ORDER BY timeline = sender LIMIT 1
            """);
        command.Parameters.AddWithValue(messageId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new StoredMessage(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), [], reader.GetInt16(6))
            : null;
    }
}
