using AppMsg.Directory;
using AppMsg.Grains.Backends;
using AppMsg.Grains.Directory;
using AppMsg.Grains.Timelines;
using AppMsg.Messaging;
using AppMsg.Sessions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// Reads what a batch of REGISTERs needs from storage without activating a grain per device: the login tokens,
/// the users' memberships and mutes, which users have stored callbacks (one statement over the grains' stored
/// state, which their grains write through before answering) and the users' read cursors (one statement).
/// </summary>
public sealed class RegisterBatchReader(
    NpgsqlDataSource database, CursorStore cursors, IGrainStorageSerializer serializer, IOptions<ClusterOptions> cluster)
{
    private static readonly string StatesSql = $"""
        SELECT s.graintypestring, s.grainidextensionstring, s.payloadbinary FROM {StoredGrainStates.RowsOf("$1", "$2", "$3")}
        UNION ALL
        SELECT s.graintypestring, s.grainidextensionstring, s.payloadbinary FROM {StoredGrainStates.RowsOf("$1", "$4", "$5")}
        UNION ALL
        SELECT s.graintypestring, s.grainidextensionstring, s.payloadbinary FROM {StoredGrainStates.RowsOf("$1", "$6", "$5")}
        """;

    /// <summary>Reads the stored state of the tickets' tokens and users.</summary>
    /// <exception cref="NpgsqlException">The database did not answer.</exception>
    public async Task<RegisterBatchState> ReadAsync(IReadOnlyCollection<RegisterTicket> tickets)
    {
        var tokenHashes = tickets.Select(t => t.TokenHash).Distinct(StringComparer.Ordinal).ToArray();
        var userIds = tickets.Select(t => t.UserId).Distinct(StringComparer.Ordinal).ToArray();
        var states = ReadStatesAsync(tokenHashes, userIds);
        var userCursors = cursors.LoadManyAsync(userIds);
        await Task.WhenAll(states, userCursors);
        var (tokens, users, withCallbacks) = await states;
        return new RegisterBatchState(tokens, users, withCallbacks, await userCursors);
    }

    private async Task<(Dictionary<string, TokenPrincipal>, Dictionary<string, UserReading>, HashSet<string>)> ReadStatesAsync(
        string[] tokenHashes, string[] userIds)
    {
        await using var command = database.CreateCommand(StatesSql);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(AuthTokenGrain.StateName);
        command.Parameters.AddWithValue(tokenHashes);
        command.Parameters.AddWithValue(UserGrain.StateName);
        command.Parameters.AddWithValue(userIds);
        command.Parameters.AddWithValue(PendingCallbacksGrain.StateName);
        var tokens = new Dictionary<string, TokenPrincipal>(StringComparer.Ordinal);
        var users = new Dictionary<string, UserReading>(StringComparer.Ordinal);
        var withCallbacks = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(1);
            var payload = BinaryData.FromBytes(reader.GetFieldValue<byte[]>(2));
            switch (reader.GetString(0))
            {
                case AuthTokenGrain.StateName:
                    if (serializer.Deserialize<AuthTokenState>(payload) is { Principal: { } principal, Revoked: false })
                    {
                        tokens[key] = principal;
                    }

                    break;
                case UserGrain.StateName:
                    if (serializer.Deserialize<UserState>(payload) is { } user)
                    {
                        users[key] = new UserReading([.. user.Memberships], [.. user.Muted]);
                    }

                    break;
                case PendingCallbacksGrain.StateName:
                    if (serializer.Deserialize<PendingCallbacksState>(payload) is { Callbacks.Count: > 0 })
                    {
                        withCallbacks.Add(key);
                    }

                    break;
            }
        }

        return (tokens, users, withCallbacks);
    }
}
