using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AppMsg.Testing;
using Npgsql;

namespace AppMsg.Backends.Tests;

[Collection(BackendCollection.Name)]
public sealed class WebhookTests(BackendSystem system)
{
    [Fact]
    public async Task Messages_reach_the_webhook_in_order_with_a_signature_that_verifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId, receiver.Url);
        var secret = (await system.Api.PostAsync($"/v1/apps/{appId}/webhook/secret", null, credential)).Expect(HttpStatusCode.OK)["secret"];

        await system.SendToAppAsync(appId, userId, "to the webhook 1");
        await system.SendToAppAsync(appId, userId, "to the webhook 2");

        var requests = await receiver.WaitForAsync(r => r.Count >= 2, "two POSTs");
        Assert.Equal([1, 2], requests.Select(r => r.Json.GetProperty("seq").GetInt64()));
        foreach (var request in requests)
        {
            Assert.Equal("message", request.Kind);
            Assert.Equal(appId, request.Json.GetProperty("appId").GetString());
            Assert.Equal($"{userId}@user", request.Json.GetProperty("from").GetString());
            Assert.True(Verifies(secret, request), $"the signature {request.Signature} verifies with the app's signing secret");
            Assert.False(Verifies(secret + "x", request));
            Assert.True(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(request.Timestamp, System.Globalization.CultureInfo.InvariantCulture)) < 60);
        }

        Assert.Equal("to the webhook 1", requests[0].Json.GetProperty("message").GetProperty("content").GetProperty("text").GetString());
        var status = (await system.Api.GetAsync($"/v1/apps/{appId}/webhook", credential)).Expect(HttpStatusCode.OK);
        Assert.Equal(receiver.Url, status["url"]);
        await Eventually.ReturnsAsync(async () => (await system.Api.GetAsync($"/v1/apps/{appId}/webhook", credential)).Body.GetProperty("delivered").GetInt64(),
            d => d == 2, TimeSpan.FromSeconds(10), "the delivered cursor at 2");
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_with_growing_waits_then_dead_lettered_and_can_be_replayed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Behaviour = WebhookBehaviour.Fail;
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId, receiver.Url);
        (await system.Api.PutAsync($"/v1/apps/{appId}/webhook", new { maxAttempts = 3, initialBackoffMs = 300 }, credential)).Expect(HttpStatusCode.OK);
        using var http = new HttpClient();
        var siloMetrics = new Uri($"http://127.0.0.1:{system.SiloSettings.MetricsPort}/metrics");
        var metricsBefore = new PrometheusText(await http.GetStringAsync(siloMetrics));

        var sending = Stopwatch.StartNew();
        await system.SendToAppAsync(appId, userId, "doomed");
        Assert.True(sending.Elapsed < TimeSpan.FromSeconds(2), "the sender does not wait for the webhook");

        var attempts = await receiver.WaitForAsync(r => r.Count >= 3, "three attempts");
        Assert.Equal([1, 2, 3], attempts.Select(r => r.Attempt));
        Assert.All(attempts, a => Assert.Equal($"{appId}:1", a.DeliveryId));
        var firstWait = attempts[1].ReceivedAt - attempts[0].ReceivedAt;
        var secondWait = attempts[2].ReceivedAt - attempts[1].ReceivedAt;
        Assert.True(firstWait >= TimeSpan.FromMilliseconds(250), $"first wait {firstWait}");
        Assert.True(secondWait >= TimeSpan.FromMilliseconds(550), $"second wait {secondWait} doubles");

        var letters = await Eventually.ReturnsAsync(() => DeadLettersAsync(appId, credential), l => l.Count == 1, TimeSpan.FromSeconds(10), "one dead letter");
        Assert.Equal(1, letters[0].GetProperty("seq").GetInt64());
        Assert.Equal("HTTP 500", letters[0].GetProperty("lastError").GetString());
        Assert.Equal(3, letters[0].GetProperty("attempts").GetInt32());
        Assert.Equal("doomed", letters[0].GetProperty("body").GetProperty("message").GetProperty("content").GetProperty("text").GetString());

        // Delivery moved on: the next message goes through once the webhook is healthy again.
        receiver.Behaviour = WebhookBehaviour.Ok;
        await system.SendToAppAsync(appId, userId, "fine");
        await receiver.WaitForAsync(r => r.Any(x => x.AnsweredWith == WebhookBehaviour.Ok && x.Json.GetProperty("seq").GetInt64() == 2), "seq 2 delivered");

        var id = letters[0].GetProperty("id").GetString()!;
        (await system.Api.PostAsync($"/v1/apps/{appId}/dead-letters/{id}/replay", null, credential)).Expect(HttpStatusCode.Accepted);
        await receiver.WaitForAsync(r => r.Any(x => x.AnsweredWith == WebhookBehaviour.Ok && x.Json.GetProperty("seq").GetInt64() == 1), "seq 1 replayed");
        Assert.Empty(await DeadLettersAsync(appId, credential));
        Assert.Equal("not_found", (await system.Api.PostAsync($"/v1/apps/{appId}/dead-letters/{id}/replay", null, credential)).Expect(HttpStatusCode.NotFound).Code);

        // The silo's metrics count each outcome (other tests of the process add to them too: at least these).
        var metrics = new PrometheusText(await http.GetStringAsync(siloMetrics));
        double Grown(string outcome) => metrics.Sum("appmsg_silo_webhook_deliveries_total", $"outcome=\"{outcome}\"")
            - metricsBefore.Sum("appmsg_silo_webhook_deliveries_total", $"outcome=\"{outcome}\"");
        Assert.True(Grown("failed") >= 3, metrics.Text);
        Assert.True(Grown("dead_lettered") >= 1, metrics.Text);
        Assert.True(Grown("delivered") >= 2, metrics.Text);
    }

    [Fact]
    public async Task A_hanging_or_unreachable_webhook_never_blocks_the_sender()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Behaviour = WebhookBehaviour.Hang;
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId, receiver.Url);
        (await system.Api.PutAsync($"/v1/apps/{appId}/webhook", new { maxAttempts = 2, initialBackoffMs = 100, timeoutMs = 500 }, credential)).Expect(HttpStatusCode.OK);

        var sending = Stopwatch.StartNew();
        for (var i = 1; i <= 3; i++)
        {
            await system.SendToAppAsync(appId, userId, $"into the void {i}");
        }

        Assert.True(sending.Elapsed < TimeSpan.FromSeconds(3), $"three sends took {sending.Elapsed}");
        var letters = await Eventually.ReturnsAsync(() => DeadLettersAsync(appId, credential), l => l.Count == 3, TimeSpan.FromSeconds(20), "three dead letters");
        Assert.All(letters, l => Assert.Contains("no answer within 500 ms", l.GetProperty("lastError").GetString(), StringComparison.Ordinal));

        // Nothing listens on this port at all.
        (await system.Api.PatchAsync($"/v1/apps/{appId}", new { webhookUrl = $"http://127.0.0.1:{FreePort.Next()}/hook" }, credential)).Expect(HttpStatusCode.OK);
        await system.SendToAppAsync(appId, userId, "nobody home");
        var more = await Eventually.ReturnsAsync(() => DeadLettersAsync(appId, credential), l => l.Count == 4, TimeSpan.FromSeconds(20), "a fourth dead letter");
        Assert.Contains("connection failed", more[3].GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_app_itself_and_the_operator_see_its_webhook_and_dead_letters()
    {
        var (tenantId, _) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        var (_, otherCredential) = await system.NewAppAsync(tenantId);
        (await system.Api.GetAsync($"/v1/apps/{appId}/dead-letters", credential)).Expect(HttpStatusCode.OK);
        (await system.Api.GetAsync($"/v1/apps/{appId}/dead-letters", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("not_found", (await system.Api.GetAsync($"/v1/apps/{appId}/dead-letters", otherCredential)).Expect(HttpStatusCode.NotFound).Code);
        Assert.Equal("not_found", (await system.Api.PostAsync($"/v1/apps/{appId}/webhook/secret", null, otherCredential)).Expect(HttpStatusCode.NotFound).Code);
        Assert.Equal("validation_failed", (await system.Api.PutAsync($"/v1/apps/{appId}/webhook", new { maxAttempts = 0 }, credential)).Expect(HttpStatusCode.BadRequest).Code);
    }

    [Fact]
    public async Task The_signing_secret_is_encrypted_in_the_database_and_still_signs_after_a_reactivation()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId, receiver.Url);
        var secret = (await system.Api.PostAsync($"/v1/apps/{appId}/webhook/secret", null, credential)).Expect(HttpStatusCode.OK)["secret"];

        var rows = await StoredStatesAsync(appId);
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.DoesNotContain(secret, row, StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Contains("aesgcm1:", StringComparison.Ordinal));

        // The webhook grain reads its secret back from storage (decrypting it) and signs with it.
        await Task.Delay(200);
        await system.Cluster.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromMilliseconds(100));
        await system.SendToAppAsync(appId, userId, "signed after decryption");
        var request = (await receiver.WaitForAsync(r => r.Count >= 1, "one POST"))[0];
        Assert.True(Verifies(secret, request), "the signature verifies with the secret the app was given");
    }

    /// <summary>The grain state rows of a grain key as text (the storage serializer writes JSON).</summary>
    private async Task<List<string>> StoredStatesAsync(string key)
    {
        await using var connection = new NpgsqlConnection(system.Deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payloadbinary FROM orleansstorage WHERE grainidextensionstring = @key AND payloadbinary IS NOT NULL", connection);
        command.Parameters.AddWithValue("key", key);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Encoding.UTF8.GetString((byte[])reader[0]));
        }

        return rows;
    }

    /// <summary>The receiver's check: HMAC-SHA256 with the signing secret over "timestamp.body".</summary>
    private static bool Verifies(string secret, WebhookRequest request)
    {
        var signed = Encoding.ASCII.GetBytes(request.Timestamp + ".").Concat(request.Body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Signature));
    }

    private async Task<List<System.Text.Json.JsonElement>> DeadLettersAsync(string appId, string credential) =>
        [.. (await system.Api.GetAsync($"/v1/apps/{appId}/dead-letters", credential)).Expect(HttpStatusCode.OK).Body.GetProperty("deadLetters").EnumerateArray()];
}
