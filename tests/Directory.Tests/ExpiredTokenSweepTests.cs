using System.Net;
using AppMsg.Testing;
using Npgsql;

namespace AppMsg.Directory.Tests;

/// <summary>A system whose login tokens live 4 s and whose token sweep runs every second, two rows a statement.</summary>
public sealed class TokenSweepSystem : RunningSystem
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(4);

    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) =>
        settings with { TokenLifetime = TokenLifetime, TokenSweepInterval = TimeSpan.FromSeconds(1), TokenSweepPageSize = 2 };
}

/// <summary>Expired login tokens that are never presented again, by users who never log in again, are deleted by the silo's sweep.</summary>
public sealed class ExpiredTokenSweepTests(TokenSweepSystem system) : IClassFixture<TokenSweepSystem>
{
    private readonly Seed seed = new(system);

    [Fact]
    public async Task Expired_tokens_never_presented_again_are_swept_and_live_ones_kept()
    {
        var tenantId = await seed.TenantAsync();
        var gone = await seed.UserAsync(tenantId, "gone");
        var stays = await seed.UserAsync(tenantId, "stays");
        // Five tokens: more than two pages of the sweep, so it has to walk on.
        var expired = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            expired.Add(await seed.LoginAsync(tenantId, "gone"));
        }

        Assert.Equal(5, await TokenRowsAsync(expired));
        await Task.Delay(TokenSweepSystem.TokenLifetime + TimeSpan.FromMilliseconds(200));
        // Another user's login (not the owner's, whose next login would prune them itself).
        var live = await seed.LoginAsync(tenantId, "stays");

        await Eventually.ReturnsAsync(() => TokenRowsAsync(expired), rows => rows == 0, TimeSpan.FromSeconds(3), "every expired token row swept");
        Assert.Equal(1, await TokenRowsAsync([live]));

        // A swept token presented after all (its grain may still hold it in memory) is refused, not a failure.
        (await seed.Api.GetAsync($"/v1/users/{gone}", expired[0])).Expect(HttpStatusCode.Unauthorized);
        (await seed.Api.GetAsync($"/v1/users/{stays}", live)).Expect(HttpStatusCode.OK);
        Assert.Equal(1, await TokenRowsAsync([live]));
    }

    /// <summary>Stored rows of the tokens' grains (keyed by each token's SHA-256, as the edge computes it).</summary>
    private async Task<long> TokenRowsAsync(IReadOnlyList<string> tokens)
    {
        await using var connection = new NpgsqlConnection(system.Deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansstorage WHERE grainidextensionstring = ANY(@keys)", connection);
        command.Parameters.AddWithValue("keys", tokens.Select(Edge.Api.CallerAuthenticator.TokenHash).ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
