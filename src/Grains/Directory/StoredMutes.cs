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
    /// <summary>The grain type (state name) Orleans stores <see cref="UserGrain"/>'s state under.</summary>
    public const string GrainType = "user";

    /// <summary>Users asked for in one statement.</summary>
    public const int UsersPerStatement = 5_000;

    // String-keyed grains are stored with both numeric key parts 0 and the key in the extension column (the unique
    // identity index serves the lookup). Only users that muted someone answer.
    private const string Read = """
        SELECT s.grainidextensionstring, ARRAY(SELECT jsonb_array_elements_text(m.muted))
          FROM orleansstorage s
         CROSS JOIN LATERAL (SELECT convert_from(s.payloadbinary, 'UTF8')::jsonb -> 'Muted' AS muted) m
         WHERE s.serviceid = $1 AND s.graintypestring = $2 AND s.grainidn0 = 0 AND s.grainidn1 = 0
           AND s.grainidextensionstring = ANY($3) AND s.payloadbinary IS NOT NULL
           AND jsonb_typeof(m.muted) = 'array' AND m.muted <> '[]'::jsonb
        """;

    /// <summary>The senders each of these users muted; a user that muted nobody (or does not exist) is left out.</summary>
    public async Task<Dictionary<string, string[]>> ReadAsync(IReadOnlyList<string> userIds, CancellationToken cancellation = default)
    {
        var muted = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var chunk in userIds.Chunk(UsersPerStatement))
        {
            await using var command = database.CreateCommand(Read);
            command.Parameters.AddWithValue(cluster.Value.ServiceId);
            command.Parameters.AddWithValue(GrainType);
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
