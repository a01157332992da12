using System.Net;
using System.Text;
using AppMsg.Grains.Directory;
using AppMsg.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AppMsg.Directory.Tests;

public sealed class PasswordUpgradeTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task A_hash_made_with_fewer_iterations_keeps_working_and_is_made_again_with_the_current_count_at_login()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        Assert.Contains("pbkdf2-sha256$1000$", await UserStateAsync(userId), StringComparison.Ordinal);

        // The operator raises the iterations (this class's silo only): the old hash still verifies, and is upgraded.
        system.SiloServices<IOptions<DirectoryOptions>>().Value.PasswordIterations = 2_000;
        await system.LoginAsync(tenantId, userId);
        var state = await UserStateAsync(userId);
        Assert.Contains("pbkdf2-sha256$2000$", state, StringComparison.Ordinal);
        Assert.DoesNotContain("pbkdf2-sha256$1000$", state, StringComparison.Ordinal);
        await system.LoginAsync(tenantId, userId);

        var user = (await system.Api.GetAsync($"/v1/users/{userId}", system.AdminKey)).Expect(HttpStatusCode.OK);
        (await system.Api.PostAsync("/v1/auth/login", new { tenantId, username = user["username"], password = "wrong password", terminalType = 1 }))
            .Expect(HttpStatusCode.Unauthorized);
    }

    /// <summary>The stored states of the grains keyed by the user id, as one text.</summary>
    private async Task<string> UserStateAsync(string userId)
    {
        await using var connection = new NpgsqlConnection(system.Deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payloadbinary FROM orleansstorage WHERE grainidextensionstring = @id AND payloadbinary IS NOT NULL", connection);
        command.Parameters.AddWithValue("id", userId);
        // Every grain keyed by the user id (the user's, its sessions', ...), as one text.
        var text = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            text.Append(Encoding.UTF8.GetString((byte[])reader[0])).Append('\n');
        }

        return text.ToString();
    }
}
