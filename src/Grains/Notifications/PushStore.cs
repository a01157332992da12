using AppMsg.Common;
using AppMsg.Notifications;
using Npgsql;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// The notification tables (migration 10): <c>push_devices</c>, <c>push_credentials</c> (values already
/// protected by <see cref="Security.SecretProtector"/>) and <c>push_sent</c>, one row per (message, device)
/// ever handed to the send queue.
/// </summary>
public sealed class PushStore(NpgsqlDataSource database)
{
    private const string DeviceColumns = "user_id, device_id, app_id, platform, terminal_type, token, p256dh, auth, sandbox";

    /// <summary>Adds or replaces a device; the same token held by any other (user, device) is removed first.</summary>
    public async Task UpsertDeviceAsync(string userId, string tenantId, PushDevice device)
    {
        var token = TokenOf(device);
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var moved = new NpgsqlCommand(
            "DELETE FROM push_devices WHERE app_id = $1 AND platform = $2 AND token = $3 AND NOT (user_id = $4 AND device_id = $5)", connection, transaction))
        {
            moved.Parameters.AddWithValue(device.AppId);
            moved.Parameters.AddWithValue(device.Platform);
            moved.Parameters.AddWithValue(token);
            moved.Parameters.AddWithValue(userId);
            moved.Parameters.AddWithValue(device.DeviceId);
            await moved.ExecuteNonQueryAsync();
        }

        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO push_devices (user_id, device_id, tenant_id, app_id, platform, terminal_type, token, p256dh, auth, sandbox, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
            ON CONFLICT (user_id, device_id) DO UPDATE SET tenant_id = excluded.tenant_id, app_id = excluded.app_id, platform = excluded.platform,
                terminal_type = excluded.terminal_type, token = excluded.token, p256dh = excluded.p256dh, auth = excluded.auth,
                sandbox = excluded.sandbox, updated_at = now()
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue(userId);
            upsert.Parameters.AddWithValue(device.DeviceId);
            upsert.Parameters.AddWithValue(tenantId);
            upsert.Parameters.AddWithValue(device.AppId);
            upsert.Parameters.AddWithValue(device.Platform);
            upsert.Parameters.AddWithValue((short)device.TerminalType);
            upsert.Parameters.AddWithValue(token);
            upsert.Parameters.AddWithValue((object?)device.Subscription?.P256dh ?? DBNull.Value);
            upsert.Parameters.AddWithValue((object?)device.Subscription?.Auth ?? DBNull.Value);
            upsert.Parameters.AddWithValue(device.Sandbox);
            await upsert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public async Task<bool> DeleteDeviceAsync(string userId, string deviceId) =>
        await database.ExecuteAsync("DELETE FROM push_devices WHERE user_id = $1 AND device_id = $2", userId, deviceId) > 0;

    /// <summary>Removes tokens the providers called dead, whoever holds them now (one statement for many).</summary>
    public async Task DeleteTokensAsync(IReadOnlyList<(string AppId, string Platform, string Token)> tokens)
    {
        await using var command = database.CreateCommand("""
            DELETE FROM push_devices d USING unnest($1::text[], $2::text[], $3::text[]) AS t(a, p, k)
            WHERE d.app_id = t.a AND d.platform = t.p AND d.token = t.k
            """);
        command.Parameters.AddWithValue(tokens.Select(t => t.AppId).ToArray());
        command.Parameters.AddWithValue(tokens.Select(t => t.Platform).ToArray());
        command.Parameters.AddWithValue(tokens.Select(t => t.Token).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Whether any device is registered at all (a cluster that does not use notifications skips the work).</summary>
    public async Task<bool> AnyDevicesAsync() =>
        (await database.ReadStringsAsync("SELECT EXISTS (SELECT 1 FROM push_devices)::text")).FirstOrDefault() == "true";

    public Task<List<RegisteredDevice>> DevicesOfUserAsync(string userId) =>
        ReadDevicesAsync($"SELECT {DeviceColumns} FROM push_devices WHERE user_id = $1 ORDER BY device_id", userId);

    /// <summary>The devices of these users whose terminal type is in the mask.</summary>
    public Task<List<RegisteredDevice>> DevicesOfUsersAsync(string[] userIds, int terminalTypes) =>
        ReadDevicesAsync($"SELECT {DeviceColumns} FROM push_devices WHERE user_id = ANY($1) AND (terminal_type & $2) <> 0", userIds, (short)terminalTypes);

    /// <summary>The devices of a qun's members whose terminal type is in the mask: one query however large the qun.</summary>
    public Task<List<RegisteredDevice>> DevicesOfQunAsync(string qunId, int terminalTypes) =>
        ReadDevicesAsync($"""
            SELECT {string.Join(", ", DeviceColumns.Split(", ").Select(c => "d." + c))}
            FROM dir_qun_members m JOIN push_devices d ON d.user_id = m.user_id
            WHERE m.qun_id = $1 AND (d.terminal_type & $2) <> 0
            """, qunId, (short)terminalTypes);

    /// <summary>
    /// One page of the devices of a broadcast's audience whose terminal type is in the mask, in (user, device) order after
    /// the given key: an org's members and its sub-orgs' (<paramref name="kind"/> Org, <paramref name="id"/> the org), or
    /// every user of a tenant (Tenant, the tenant id; an app's broadcast is its tenant's).
    /// </summary>
    public Task<List<RegisteredDevice>> DevicesOfAudienceAsync(AddressKind kind, string id, int terminalTypes, (string UserId, string DeviceId) after, int limit)
    {
        var columns = string.Join(", ", DeviceColumns.Split(", ").Select(c => "d." + c));
        return kind == AddressKind.Org
            ? ReadDevicesAsync($"""
                WITH RECURSIVE tree (org_id) AS (
                    SELECT org_id FROM dir_orgs WHERE org_id = $1
                    UNION
                    SELECT o.org_id FROM dir_orgs o JOIN tree t ON o.parent_id = t.org_id
                )
                SELECT {columns} FROM push_devices d
                WHERE d.user_id IN (SELECT m.user_id FROM dir_org_members m JOIN tree t ON t.org_id = m.org_id)
                  AND (d.terminal_type & $2) <> 0 AND (d.user_id, d.device_id) > ($3, $4)
                ORDER BY d.user_id, d.device_id LIMIT $5
                """, id, (short)terminalTypes, after.UserId, after.DeviceId, limit)
            : ReadDevicesAsync($"""
                SELECT {columns} FROM push_devices d
                WHERE d.tenant_id = $1 AND (d.terminal_type & $2) <> 0 AND (d.user_id, d.device_id) > ($3, $4)
                ORDER BY d.user_id, d.device_id LIMIT $5
                """, id, (short)terminalTypes, after.UserId, after.DeviceId, limit);
    }

    /// <summary>Records (message, device) pairs as handed to the send queue; returns those not recorded before.</summary>
    public async Task<HashSet<(string MessageId, string UserId, string DeviceId)>> ClaimAsync(IReadOnlyList<(string MessageId, string UserId, string DeviceId, string AppId)> pairs)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO push_sent (message_id, user_id, device_id, app_id, state)
            SELECT m, u, d, a, 'pending' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(m, u, d, a)
            ON CONFLICT DO NOTHING
            RETURNING message_id, user_id, device_id
            """);
        command.Parameters.AddWithValue(pairs.Select(p => p.MessageId).ToArray());
        command.Parameters.AddWithValue(pairs.Select(p => p.UserId).ToArray());
        command.Parameters.AddWithValue(pairs.Select(p => p.DeviceId).ToArray());
        command.Parameters.AddWithValue(pairs.Select(p => p.AppId).ToArray());
        var claimed = new HashSet<(string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            claimed.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return claimed;
    }

    /// <summary>Records the outcomes of sends (one statement for many).</summary>
    public async Task RecordOutcomesAsync(IReadOnlyList<(string MessageId, string UserId, string DeviceId, string State)> outcomes)
    {
        await using var command = database.CreateCommand("""
            UPDATE push_sent s SET state = t.st, at = now()
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(m, u, d, st)
            WHERE s.message_id = t.m AND s.user_id = t.u AND s.device_id = t.d
            """);
        command.Parameters.AddWithValue(outcomes.Select(p => p.MessageId).ToArray());
        command.Parameters.AddWithValue(outcomes.Select(p => p.UserId).ToArray());
        command.Parameters.AddWithValue(outcomes.Select(p => p.DeviceId).ToArray());
        command.Parameters.AddWithValue(outcomes.Select(p => p.State).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The notification states of one message, by (user, device).</summary>
    public async Task<List<(string UserId, string DeviceId, string State, DateTimeOffset At)>> OutcomesOfMessageAsync(string messageId)
    {
        await using var command = database.CreateCommand("SELECT user_id, device_id, state, at FROM push_sent WHERE message_id = $1 ORDER BY user_id, device_id");
        command.Parameters.AddWithValue(messageId);
        var rows = new List<(string, string, string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    /// <summary>Of these users, the devices a notification of the message was sent to, with their terminal type and when.</summary>
    public async Task<List<(string UserId, string DeviceId, int TerminalType, DateTimeOffset At)>> NotifiedAsync(string messageId, IReadOnlyList<string> userIds)
    {
        await using var command = database.CreateCommand("""
            SELECT s.user_id, s.device_id, d.terminal_type, s.at
            FROM push_sent s JOIN push_devices d ON d.user_id = s.user_id AND d.device_id = s.device_id
            WHERE s.message_id = $1 AND s.state = 'sent' AND s.user_id = ANY($2)
            ORDER BY s.user_id, s.device_id
            """);
        command.Parameters.AddWithValue(messageId);
        command.Parameters.AddWithValue(userIds.ToArray());
        var rows = new List<(string, string, int, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt16(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    /// <summary>Deletes the records older than <paramref name="age"/> (past any message's TTL they protect nothing).</summary>
    public Task<int> PruneSentAsync(TimeSpan age) =>
        database.ExecuteAsync("DELETE FROM push_sent WHERE at < now() - $1::interval", age);

    public Task PutCredentialAsync(string appId, string platform, string protectedSecret) =>
        database.ExecuteAsync("""
            INSERT INTO push_credentials (app_id, platform, secret, updated_at) VALUES ($1, $2, $3, now())
            ON CONFLICT (app_id, platform) DO UPDATE SET secret = excluded.secret, public_key = NULL, updated_at = now()
            """, appId, platform, protectedSecret);

    /// <summary>Stores a key pair unless the app has one already; either way returns the stored one.</summary>
    public async Task<(string Secret, string PublicKey)> PutKeyPairOnceAsync(string appId, string platform, string protectedSecret, string publicKey)
    {
        await database.ExecuteAsync("""
            INSERT INTO push_credentials (app_id, platform, secret, public_key) VALUES ($1, $2, $3, $4)
            ON CONFLICT (app_id, platform) DO NOTHING
            """, appId, platform, protectedSecret, publicKey);
        var stored = await GetCredentialAsync(appId, platform);
        return (stored!.Value.Secret, stored.Value.PublicKey!);
    }

    /// <summary>Replaces a stored secret with the same value protected anew, unless it changed meanwhile; true when replaced.</summary>
    public async Task<bool> ReplaceCredentialSecretAsync(string appId, string platform, string expected, string replacement) =>
        await database.ExecuteAsync("UPDATE push_credentials SET secret = $4 WHERE app_id = $1 AND platform = $2 AND secret = $3",
            appId, platform, expected, replacement) > 0;

    public async Task<(string Secret, string? PublicKey)?> GetCredentialAsync(string appId, string platform)
    {
        await using var command = database.CreateCommand("SELECT secret, public_key FROM push_credentials WHERE app_id = $1 AND platform = $2");
        command.Parameters.AddWithValue(appId);
        command.Parameters.AddWithValue(platform);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
    }

    private static string TokenOf(PushDevice device) => device.Platform == PushPlatforms.WebPush ? device.Subscription!.Endpoint : device.Token!;

    private async Task<List<RegisteredDevice>> ReadDevicesAsync(string sql, params object[] values)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        var devices = new List<RegisteredDevice>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var platform = reader.GetString(3);
            var token = reader.GetString(5);
            var device = new PushDevice(
                reader.GetString(1), platform, reader.GetString(2), reader.GetInt16(4),
                platform == PushPlatforms.WebPush ? null : token,
                platform == PushPlatforms.WebPush ? new WebPushSubscription(token, reader.GetString(6), reader.GetString(7)) : null,
                reader.GetBoolean(8));
            devices.Add(new RegisteredDevice(reader.GetString(0), device, token));
        }

        return devices;
    }
}
