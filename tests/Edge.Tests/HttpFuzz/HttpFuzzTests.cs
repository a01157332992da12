using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using AppMsg.Testing;
using Microsoft.AspNetCore.Routing;
using Xunit.Abstractions;

namespace AppMsg.Edge.Tests.HttpFuzz;

/// <summary>
/// Hostile requests against every route of a real edge (with its silo and PostgreSQL): malformed, truncated and
/// oversized bodies, wrong types, huge numbers, deep nesting, invalid UTF-8, wrong content types, missing and forged
/// credentials, unknown paths and methods. No answer is a 500, every refusal is a problem document with a stable
/// code, and the edge serves ordinary traffic afterwards.
/// </summary>
public sealed class HttpFuzzTests(HttpFuzzSystem system, ITestOutputHelper output) : IClassFixture<HttpFuzzSystem>
{
    private const int Requests = 20_000;
    private const int Concurrency = 8;
    private const int DefaultSeed = 160_016;
    private const int RefreshEvery = 500;

    private static readonly HashSet<string> StableCodes =
    [
        .. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!),
        "timeout",
    ];

    [Fact]
    public async Task Twenty_thousand_hostile_requests_on_every_route_get_no_500_and_every_refusal_is_a_problem_with_a_stable_code()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("APPMSG_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"HTTP fuzz seed {seed} (replay with APPMSG_FUZZ_SEED={seed})");
        var routes = FuzzRoute.All(system.EdgeServices<EndpointDataSource>());
        Assert.Contains(routes, r => r.Pattern == "/v1/messages");
        Assert.Contains(routes, r => r.Pattern == "/v1/auth/login");
        output.WriteLine($"{routes.Count} routes: {string.Join(", ", routes.Select(r => string.Join('|', r.Methods) + " " + r.Pattern))}");

        var fuzzer = new HttpRequestFuzzer(routes, await BuildWorldAsync(), seed, system.EdgeSettings.MaxRequestBodyBytes);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Concurrency,
            // Forged credentials include characters outside ASCII: send them as UTF-8 bytes instead of refusing them.
            RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}"),
            Timeout = TimeSpan.FromSeconds(60),
        };

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var codes = new ConcurrentDictionary<string, int>();
        var routesHit = new ConcurrentDictionary<string, int>();
        var next = -1;
        using var refresh = new SemaphoreSlim(1);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
            {
                if (i % RefreshEvery == 0 && i > 0)
                {
                    await refresh.WaitAsync();
                    try
                    {
                        fuzzer.World = await RefreshCredentialsAsync(fuzzer.World);
                    }
                    finally
                    {
                        refresh.Release();
                    }
                }

                var request = fuzzer.Create(i);
                routesHit.AddOrUpdate(request.RouteName, 1, (_, n) => n + 1);
                var failure = await SendAndCheckAsync(http, request, statuses, codes);
                if (failure is not null)
                {
                    failures.Enqueue(failure);
                }
            }
        })));
        clock.Stop();

        output.WriteLine($"{Requests} requests in {clock.Elapsed.TotalSeconds:F1} s ({Requests / clock.Elapsed.TotalSeconds:F0}/s), {Concurrency} at a time");
        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        output.WriteLine("problem codes: " + string.Join(", ", codes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(routes.All(r => routesHit.ContainsKey(r.Pattern)), "a route was never fuzzed: " + string.Join(", ", routes.Where(r => !routesHit.ContainsKey(r.Pattern)).Select(r => r.Pattern)));
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers (seed {seed}); the first 30:{Environment.NewLine}" + string.Join(Environment.NewLine, failures.Take(30)));

        await AssertServesOrdinaryTrafficAsync();
    }

    /// <summary>The fuzz's finds, kept as plain cases: U+0000 reached PostgreSQL, which refused it (503 unavailable).</summary>
    [Fact]
    public async Task Text_holding_U0000_is_refused_as_invalid_input_and_not_passed_to_storage()
    {
        var api = system.Api;
        var admin = system.AdminKey;
        var world = await BuildWorldAsync();
        var nulCursor = Convert.ToBase64String("a\0"u8).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var answers = new[]
        {
            await api.SendRawAsync(HttpMethod.Patch, $"/v1/users/{world.UserIds[1]}", "{\"displayName\":\"a\\u0000b\"}", admin),
            await api.SendRawAsync(HttpMethod.Post, "/v1/auth/login", $"{{\"tenantId\":\"{world.TenantId}\",\"username\":\"x\\u0000\",\"password\":\"p\",\"terminalType\":1}}", null),
            await api.SendRawAsync(HttpMethod.Post, "/v1/tenants", "{\"name\":\"\\u0000\"}", admin),
            await api.GetAsync($"/v1/tenants/{world.TenantId}/users?prefix=a%00", admin),
            await api.GetAsync($"/v1/tenants/{world.TenantId}/users?after={nulCursor}", admin),
        };

        foreach (var answer in answers)
        {
            Assert.True(answer.Status == HttpStatusCode.BadRequest && answer.Code == ErrorCodes.ValidationFailed, $"{(int)answer.Status} {answer.Text}");
        }

        Assert.Equal("fuzz-b", (await api.GetAsync($"/v1/users/{world.UserIds[1]}", admin)).Expect(HttpStatusCode.OK)["displayName"]);
    }

    private static async Task<string?> SendAndCheckAsync(HttpClient http, FuzzRequest request, ConcurrentDictionary<int, int> statuses, ConcurrentDictionary<string, int> codes)
    {
        HttpResponseMessage response;
        try
        {
            using var message = request.ToMessage();
            response = await http.SendAsync(message);
        }
        catch (HttpRequestException) when (request.Oversized)
        {
            // The edge may answer 413 and close the connection while the client is still sending the rest of the body.
            statuses.AddOrUpdate(413, 1, (_, n) => n + 1);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"{request}: no answer ({e.GetType().Name}: {e.Message} {e.InnerException?.GetType().Name}: {e.InnerException?.Message} {e.InnerException?.InnerException?.Message})";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var text = await response.Content.ReadAsStringAsync();
            if (status < 400)
            {
                return null;
            }

            if (text.Length == 0 && response.Headers.ConnectionClose == true && status is 400 or 414 or 431)
            {
                // Kestrel refused the request line or headers (a NUL in the path, say) before any of the app ran, and
                // closed the connection; it writes no body there.
                codes.AddOrUpdate("(refused by Kestrel)", 1, (_, n) => n + 1);
                return null;
            }

            var code = ProblemCode(response.Content.Headers.ContentType?.MediaType, text);
            if (code is null)
            {
                return $"{request}: {status} is not a problem document with a code: {response.Content.Headers.ContentType?.MediaType} '{Shorten(text)}'";
            }

            codes.AddOrUpdate(code, 1, (_, n) => n + 1);
            // The database and the cluster are up all along: an "unavailable" here is input that storage refused.
            if (status == 500 || code is ErrorCodes.Failed or ErrorCodes.Unavailable)
            {
                return $"{request}: {status} {code} '{Shorten(text)}'";
            }

            return StableCodes.Contains(code) ? null : $"{request}: {status} with an unknown code '{code}'";
        }
    }

    private static string? ProblemCode(string? mediaType, string text)
    {
        if (mediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "..." : text;

    /// <summary>A tenant with an app, users, a login token, a qun and an org, for the fuzzer to aim at.</summary>
    private async Task<FuzzWorld> BuildWorldAsync()
    {
        var api = system.Api;
        var admin = system.AdminKey;
        var tenantId = (await api.PostAsync("/v1/tenants", new { name = "fuzz" }, admin)).Expect(HttpStatusCode.Created)["id"];
        var app = (await api.PostAsync("/v1/apps", new { tenantId, name = "fuzz-app" }, admin)).Expect(HttpStatusCode.Created);
        var users = new List<string>();
        foreach (var name in new[] { "fuzz-a", "fuzz-b", "fuzz-c" })
        {
            users.Add((await api.PostAsync("/v1/users", new { tenantId, username = name, password = "correct horse" }, admin)).Expect(HttpStatusCode.Created)["id"]);
        }

        var token = (await api.PostAsync("/v1/auth/login", new { tenantId, username = "fuzz-a", password = "correct horse", terminalType = 1 }))
            .Expect(HttpStatusCode.OK)["token"];
        var qunId = (await api.PostAsync("/v1/quns", new { tenantId, name = "fuzz-qun", ownerId = users[0], members = users }, admin)).Expect(HttpStatusCode.Created)["id"];
        var orgId = (await api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "fuzz-org" }, admin)).Expect(HttpStatusCode.Created)["id"];
        return new FuzzWorld(admin, tenantId, app["id"], $"{app["id"]}:{app["secret"]}", [.. users], token, qunId, orgId);
    }

    /// <summary>
    /// The fuzz rotates the app's secret, disables the tenant or the user and changes its password; renew what it broke, so that
    /// most requests keep getting past authentication.
    /// </summary>
    private async Task<FuzzWorld> RefreshCredentialsAsync(FuzzWorld world)
    {
        var api = system.Api;
        var admin = system.AdminKey;
        // The fuzz may disable the tenant too (PATCH /v1/tenants/{tenantId}), which refuses its app and user.
        (await api.PatchAsync($"/v1/tenants/{world.TenantId}", new { disabled = false }, admin)).Expect(HttpStatusCode.OK);
        if ((await api.GetAsync($"/v1/apps/{world.AppId}", world.AppCredential)).Status != HttpStatusCode.OK)
        {
            var rotated = (await api.PostAsync($"/v1/apps/{world.AppId}/secret", null, admin)).Expect(HttpStatusCode.OK);
            world = world with { AppCredential = $"{world.AppId}:{rotated["secret"]}" };
        }

        var userId = world.UserIds[0];
        if ((await api.GetAsync($"/v1/users/{userId}", world.UserToken)).Status != HttpStatusCode.OK)
        {
            (await api.PatchAsync($"/v1/users/{userId}", new { status = "active" }, admin)).Expect(HttpStatusCode.OK);
            (await api.PutAsync($"/v1/users/{userId}/password", new { password = "correct horse" }, admin)).Expect(HttpStatusCode.NoContent);
            var username = (await api.GetAsync($"/v1/users/{userId}", admin)).Expect(HttpStatusCode.OK)["username"];
            var login = await api.PostAsync("/v1/auth/login", new { tenantId = world.TenantId, username, password = "correct horse", terminalType = 1 });
            if (login.Status == HttpStatusCode.OK)
            {
                world = world with { UserToken = login["token"] };
            }
        }

        return world;
    }

    private async Task AssertServesOrdinaryTrafficAsync()
    {
        var api = system.Api;
        var admin = system.AdminKey;
        (await api.GetAsync("/readyz")).Expect(HttpStatusCode.OK);
        Assert.Contains("/v1/messages", (await api.GetAsync($"/openapi/{EdgeHostBuilder.OpenApiDocument}.json")).Expect(HttpStatusCode.OK).Text, StringComparison.Ordinal);
        var tenantId = (await api.PostAsync("/v1/tenants", new { name = "after-fuzz" }, admin)).Expect(HttpStatusCode.Created)["id"];
        var userId = (await api.PostAsync("/v1/users", new { tenantId, username = "after", password = "correct horse" }, admin)).Expect(HttpStatusCode.Created)["id"];
        var token = (await api.PostAsync("/v1/auth/login", new { tenantId, username = "after", password = "correct horse", terminalType = 1 })).Expect(HttpStatusCode.OK)["token"];
        (await api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "still here" } }, admin))
            .Expect(HttpStatusCode.OK);
        var history = (await api.GetAsync($"/v1/timelines/{userId}@user/messages", token)).Expect(HttpStatusCode.OK);
        Assert.Contains("still here", history.Text, StringComparison.Ordinal);
    }
}
