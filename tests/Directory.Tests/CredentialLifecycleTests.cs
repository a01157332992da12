using System.Diagnostics;
using System.Net;
using AppMsg.Testing;
using Npgsql;

namespace AppMsg.Directory.Tests;

/// <summary>A system whose login tokens live 3 s, so a test sees one expire.</summary>
public sealed class ShortTokenSystem : RunningSystem
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(3);

    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) => settings with { TokenLifetime = TokenLifetime };
}

/// <summary>App secrets rotated with an overlap; login tokens revoked on a password change, expired ones pruned from storage.</summary>
public sealed class CredentialLifecycleTests(ShortTokenSystem system) : IClassFixture<ShortTokenSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task A_rotated_app_secret_keeps_the_old_one_working_for_the_overlap_and_no_longer()
    {
        var tenantId = await seed.TenantAsync();
        var (appId, first) = await seed.AppAsync(tenantId);

        // The app rotates its own secret with a 2 s overlap: both work, then only the new one.
        var rotated = (await Api.PostAsync($"/v1/apps/{appId}/secret?overlapSeconds=2", null, first)).Expect(HttpStatusCode.OK);
        var second = $"{appId}:{rotated["secret"]}";
        var clock = Stopwatch.StartNew();
        (await Api.GetAsync($"/v1/apps/{appId}", first)).Expect(HttpStatusCode.OK);
        (await Api.GetAsync($"/v1/apps/{appId}", second)).Expect(HttpStatusCode.OK);
        await Eventually.ReturnsAsync(() => Api.GetAsync($"/v1/apps/{appId}", first), r => r.Status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "the old secret refused after the overlap");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"the old secret stopped after {clock.Elapsed}, before its overlap ended");
        (await Api.GetAsync($"/v1/apps/{appId}", second)).Expect(HttpStatusCode.OK);

        // Without overlapSeconds the silo's default (24 h) applies; with 0 (after a leak) the old secret stops at once.
        var third = $"{appId}:{(await Api.PostAsync($"/v1/apps/{appId}/secret", null, system.AdminKey)).Expect(HttpStatusCode.OK)["secret"]}";
        (await Api.GetAsync($"/v1/apps/{appId}", second)).Expect(HttpStatusCode.OK);
        var fourth = $"{appId}:{(await Api.PostAsync($"/v1/apps/{appId}/secret?overlapSeconds=0", null, system.AdminKey)).Expect(HttpStatusCode.OK)["secret"]}";
        (await Api.GetAsync($"/v1/apps/{appId}", third)).Expect(HttpStatusCode.Unauthorized);
        (await Api.GetAsync($"/v1/apps/{appId}", second)).Expect(HttpStatusCode.Unauthorized);
        (await Api.GetAsync($"/v1/apps/{appId}", fourth)).Expect(HttpStatusCode.OK);

        Assert.Equal(ErrorCodes.ValidationFailed, (await Api.PostAsync($"/v1/apps/{appId}/secret?overlapSeconds=-1", null, system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await Api.PostAsync($"/v1/apps/{appId}/secret?overlapSeconds=2592001", null, system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
        (await Api.GetAsync($"/v1/apps/{appId}", fourth)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_password_change_revokes_the_users_tokens_and_deletes_their_rows()
    {
        var tenantId = await seed.TenantAsync();
        var userId = await seed.UserAsync(tenantId, "pat");
        var token = await seed.LoginAsync(tenantId, "pat");
        (await Api.GetAsync($"/v1/users/{userId}", token)).Expect(HttpStatusCode.OK);
        Assert.Equal(1, await TokenRowsAsync(token));

        (await Api.PutAsync($"/v1/users/{userId}/password", new { password = "a new password" }, system.AdminKey)).Expect(HttpStatusCode.NoContent);

        (await Api.GetAsync($"/v1/users/{userId}", token)).Expect(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await TokenRowsAsync(token));
        var again = await seed.LoginAsync(tenantId, "pat", "a new password");
        (await Api.GetAsync($"/v1/users/{userId}", again)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_its_row_pruned()
    {
        var tenantId = await seed.TenantAsync();
        var userId = await seed.UserAsync(tenantId, "exp");
        var validated = await seed.LoginAsync(tenantId, "exp");
        var neverUsedAgain = await seed.LoginAsync(tenantId, "exp");
        Assert.Equal(1, await TokenRowsAsync(validated));
        Assert.Equal(1, await TokenRowsAsync(neverUsedAgain));

        await Task.Delay(ShortTokenSystem.TokenLifetime + TimeSpan.FromSeconds(1));

        // One is presented after it expired: refused, and its row goes. The other is never presented again: the user's
        // next login prunes it.
        (await Api.GetAsync($"/v1/users/{userId}", validated)).Expect(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await TokenRowsAsync(validated));
        Assert.Equal(1, await TokenRowsAsync(neverUsedAgain));
        await seed.LoginAsync(tenantId, "exp");
        Assert.Equal(0, await TokenRowsAsync(neverUsedAgain));
    }

    /// <summary>Stored rows of the token's grain (keyed by the token's SHA-256, as the edge computes it).</summary>
    private async Task<long> TokenRowsAsync(string token)
    {
        await using var connection = new NpgsqlConnection(system.Deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansstorage WHERE grainidextensionstring = @key", connection);
        command.Parameters.AddWithValue("key", Edge.Api.CallerAuthenticator.TokenHash(token));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
