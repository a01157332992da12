using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace AppMsg.Grains.Directory;

/// <summary>
/// Reads many users' muted senders at once from the rows Orleans stores <see cref="UserGrain"/>'s state in (JSON, the
/// <see cref="UserState.Muted"/> set), without activating a user grain: the notification pipeline asks this for a whole
/// qun's registered members. The grain writes its state before it announces a mute change, so a read after the
/// announcement sees the change.
/// </summary>
public sealed class StoredMutes(NpgsqlDataSource database, IOptions<ClusterOptions> cluster)
{
    /// <summary>Users asked for in one statement.</summary>
    public const int UsersPerStatement = 5_000;

    // Only users that muted someone answer.
    private static readonly string Read = $"""
        SELECT s.grainidextensionstring, ARRAY(SELECT jsonb_array_elements_text(m.muted))
          FROM {StoredGrainStates.RowsOf("$1", "$2", "$3")}
         CROSS JOIN LATERAL (SELECT convert_from(s.payloadbinary, 'UTF8')::jsonb -> 'Muted' AS muted) m
         WHERE jsonb_typeof(m.muted) = 'array' AND m.muted <> '[]'::jsonb
        """;

    /// <summary>The senders each of these users muted; a user that muted nobody (or does not exist) is left out.</summary>
    public async Task<Dictionary<string, string[]>> ReadAsync(IReadOnlyList<string> userIds, CancellationToken cancellation = default)
    {
        var muted = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var chunk in userIds.Chunk(UsersPerStatement))
        {
            await using var command = database.CreateCommand(Read);
            command.Parameters.AddWithValue(cluster.Value.ServiceId);
            command.Parameters.AddWithValue(UserGrain.StateName);
            command.Parameters.AddWithValue(chunk);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                muted[reader.GetString(0)] = reader.GetFieldValue<string[]>(1);
            }
        }

        return muted;
    }
}
