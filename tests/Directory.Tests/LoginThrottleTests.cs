using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

public sealed class LoginThrottleTests(LoginThrottleSystem system) : IClassFixture<LoginThrottleSystem>
{
    private const string Password = "correct horse";

    private int HttpPort => system.EdgeSettings.HttpPort;

    [Fact]
    public async Task Failed_logins_of_a_user_name_are_throttled_on_every_edge_with_429_and_Retry_After()
    {
        var (tenantId, username) = await UserAsync();
        using var client = new LoginClient(IPAddress.Parse("127.0.0.2"));
        for (var i = 0; i < LoginThrottleSystem.FreePerUser; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.LoginAsync(HttpPort, tenantId, username, "wrong password")).Status);
        }

        // The counter is the cluster's: another edge refuses too, even the right password, before checking it.
        var edge2 = system.Deployment.EdgeSettings("edge-throttle-2");
        await system.StartAnotherEdgeAsync(edge2);
        var refused = await client.LoginAsync(edge2.HttpPort, tenantId, username, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("too_many_attempts", refused.Code);
        Assert.InRange(refused.RetryAfterSeconds ?? 0, 1, 30);

        // Per user name, whatever the address.
        using var elsewhere = new LoginClient(IPAddress.Parse("127.0.0.3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await elsewhere.LoginAsync(HttpPort, tenantId, username.ToUpperInvariant(), Password)).Status);

        // Another user name is not affected.
        var (otherTenant, otherUser) = await UserAsync();
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.LoginAsync(HttpPort, otherTenant, otherUser, Password)).Status);
    }

    [Fact]
    public async Task A_successful_login_resets_the_user_name_counter()
    {
        var (tenantId, username) = await UserAsync();
        using var client = new LoginClient(IPAddress.Parse("127.0.0.4"));
        for (var i = 0; i < LoginThrottleSystem.FreePerUser - 1; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.LoginAsync(HttpPort, tenantId, username, "wrong password")).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(HttpPort, tenantId, username, Password)).Status);

        // All the free attempts again, then the lockout (from another address, whose own counter stays clear of its limit).
        using var second = new LoginClient(IPAddress.Parse("127.0.0.7"));
        for (var i = 0; i < LoginThrottleSystem.FreePerUser; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await second.LoginAsync(HttpPort, tenantId, username, "wrong password")).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await second.LoginAsync(HttpPort, tenantId, username, Password)).Status);
    }

    [Fact]
    public async Task Failed_logins_from_one_address_are_throttled_whatever_the_user_name()
    {
        var (tenantId, username) = await UserAsync();
        using var client = new LoginClient(IPAddress.Parse("127.0.0.5"));
        for (var i = 0; i < LoginThrottleSystem.FreePerAddress; i++)
        {
            // A different (unknown) user name each time: only the address counter can add up.
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.LoginAsync(HttpPort, tenantId, $"nobody{i}", "wrong password")).Status);
        }

        var refused = await client.LoginAsync(HttpPort, tenantId, username, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("too_many_attempts", refused.Code);
        Assert.NotNull(refused.RetryAfterSeconds);

        using var elsewhere = new LoginClient(IPAddress.Parse("127.0.0.6"));
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.LoginAsync(HttpPort, tenantId, username, Password)).Status);
    }

    [Fact]
    public async Task Many_users_logging_in_at_once_from_one_address_are_not_throttled()
    {
        // An office behind NAT, or a backend: successful logins from one address never add up.
        var users = new List<(string TenantId, string Username)>();
        for (var i = 0; i < LoginThrottleSystem.FreePerAddress * 2; i++)
        {
            users.Add(await UserAsync());
        }

        using var client = new LoginClient(IPAddress.Parse("127.0.0.8"));
        var answers = await Task.WhenAll(users.Select(u => client.LoginAsync(HttpPort, u.TenantId, u.Username, Password)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    private async Task<(string TenantId, string Username)> UserAsync()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var user = (await system.Api.GetAsync($"/v1/users/{userId}", system.AdminKey)).Expect(HttpStatusCode.OK);
        return (tenantId, user["username"]);
    }
}
