using System.Collections;
using System.Net;
using System.Reflection;
using System.Text.Json;
using AppMsg.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace AppMsg.Directory.Tests;

/// <summary>
/// The matrix over every route the edge maps (read from its endpoints, so a new route joins it by itself): each route,
/// its parameters and body naming tenant A's resources, called with each credential kind of tenant B (its app, its
/// user); and each user route called by one user of A about another. Every cell is refused (403 or 404), no answer
/// carries A's data, and A is unchanged afterwards.
/// </summary>
public sealed partial class IsolationMatrixTests
{
    /// <summary>Routes with no tenant's resource in them, and why.</summary>
    private static readonly Dictionary<string, string> PublicRoutes = new(StringComparer.Ordinal)
    {
        ["GET /healthz"] = "liveness, no data",
        ["GET /readyz"] = "readiness, no data",
        ["GET /openapi/{documentName}.json"] = "the API description",
        ["GET /v1/edges/pick"] = "which edge a device should use, no tenant data",
        ["POST /v1/auth/login"] = "takes no credential: a password (LoginThrottleTests, LoginTimingTests)",
        ["POST /v1/auth/logout"] = "acts on the caller's own token only",
        ["GET /ws"] = "device connections (REGISTER with a token: DeviceRegisterTests)",
        ["GET /metrics"] = "Prometheus counters of the whole process, with no tenant in their labels (MetricsTests)",
        ["GET /console/api/me"] = "names the caller's own credential kind, tenant and app, nothing else",
        ["POST /v1/media"] = "stores for the caller's own tenant (a tenantId naming A is a cell of the hand-written matrix); reading A's media is GET /v1/media/{mediaId}",
        ["GET /v1/stats"] = "with no tenantId or appId in its query it answers the caller's own statistics; naming tenant A's is a cell of the hand-written matrix",
    };

    /// <summary>Route prefixes only the operator may use, which answer every other credential 401 (the admin key is what is missing).</summary>
    private static readonly string[] OperatorOnlyPrefixes = ["/dashboard"];

    [Fact]
    public async Task Every_route_refuses_each_credential_of_tenant_B_on_tenant_A_resources_and_a_user_on_another_users()
    {
        var w = await BuildWorldAsync();
        var qunA = (await Api.PostAsync("/v1/quns", new { tenantId = w.TenantA, name = "alpha-qun", ownerId = w.UserA1, members = new[] { w.UserA1, w.UserA2 } }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        var orgA = (await Api.PostAsync($"/v1/tenants/{w.TenantA}/orgs", new { name = "alpha-org" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var userA2Token = await seed.LoginAsync(w.TenantA, "alpha-bea");
        var routes = RoutesOfTheEdge();
        var failures = new List<string>();
        var cells = 0;

        foreach (var route in routes.Where(r => !PublicRoutes.ContainsKey(r.Name)))
        {
            var values = ValuesOfTenantA(w, qunA, orgA);
            foreach (var (who, credential) in new[] { ("app of B", w.AppBCredential), ("user of B", w.UserBToken) })
            {
                cells++;
                var (answer, sent) = await SendAsync(route, values, credential, failures);
                if (OperatorOnlyPrefixes.Any(prefix => route.Pattern.StartsWith(prefix, StringComparison.Ordinal)) && answer.Status == HttpStatusCode.Unauthorized)
                {
                    continue;
                }

                Refused(failures, $"{who} / {route.Name}", answer, sent, [.. w.SecretsOfA, "alpha-qun", "alpha-org"]);
            }

            if (route.Pattern.StartsWith("/v1/users/{userId}", StringComparison.Ordinal))
            {
                // A1 about A2 (the contact route's other end is A1 itself, so only the owner differs).
                cells++;
                var aboutA2 = new Dictionary<string, object?>(values) { ["userId"] = w.UserA2, ["contactId"] = w.UserA1 };
                var (answer, sent) = await SendAsync(route, aboutA2, w.UserA1Token, failures);
                Refused(failures, $"user A1 / {route.Name} of user A2", answer, sent, ["alpha-bea", "Alpha Bea"]);
            }
        }

        output.WriteLine($"{routes.Count} routes, {PublicRoutes.Count} public; {cells} cells");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        await AssertTenantAUnchangedAsync(w);
        Assert.Equal("alpha-qun", (await Api.GetAsync($"/v1/quns/{qunA}", system.AdminKey)).Expect(HttpStatusCode.OK)["name"]);
        Assert.Equal("alpha-org", (await Api.GetAsync($"/v1/orgs/{orgA}", system.AdminKey)).Expect(HttpStatusCode.OK)["name"]);
        (await Api.GetAsync($"/v1/users/{w.UserA2}", userA2Token)).Expect(HttpStatusCode.OK);
    }

    private sealed record Route(string Method, string Pattern, string[] Parameters, Type? Body)
    {
        public string Name => $"{Method} {Pattern}";
    }

    private List<Route> RoutesOfTheEdge() =>
    [
        .. system.EdgeServices<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new Route(
                m, e.RoutePattern.RawText ?? "/", [.. e.RoutePattern.Parameters.Select(p => p.Name)], e.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType)))
            .OrderBy(r => r.Name, StringComparer.Ordinal),
    ];

    /// <summary>Route parameters and body fields by name, each naming one of tenant A's resources (or a harmless value).</summary>
    private static Dictionary<string, object?> ValuesOfTenantA(World w, string qunA, string orgA) => new(StringComparer.Ordinal)
    {
        ["tenantId"] = w.TenantA,
        ["appId"] = w.AppA,
        ["userId"] = w.UserA1,
        ["contactId"] = w.UserA2,
        ["ownerId"] = w.UserA1,
        ["qunId"] = qunA,
        ["orgId"] = orgA,
        ["parentId"] = orgA,
        ["sender"] = $"{w.UserA2}@user",
        ["address"] = $"{w.UserA1}@user",
        ["to"] = $"{w.UserA1}@user",
        ["members"] = new[] { w.UserA1 },
        ["userIds"] = new[] { w.UserA2 },
        ["deadLetterId"] = "0000000000000001",
        ["messageId"] = w.MessageA,
        ["mediaId"] = w.MediaA,
        ["deviceId"] = "alpha-phone",
        ["grainName"] = "AppMsg.Grains.Directory.UserGrain",
        ["path"] = "index.html",
        ["page"] = 1,
        ["terminalType"] = 1,
        ["versionCode"] = 100,
        ["role"] = "admin",
        ["priority"] = "normal",
        ["status"] = "disabled",
        ["password"] = "pwned-password",
        ["webhookUrl"] = "https://evil.example/hook",
        ["downloadUrl"] = "https://evil.example/x.apk",
        ["content"] = new { text = "pwned" },
        ["payload"] = new { text = "pwned" },
        ["type"] = "text",
        ["timeoutMs"] = 1_000,
        ["terminalTypes"] = 31,
        ["sessions"] = null,
        ["from"] = null,
        ["clientMsgId"] = null,
    };

    /// <summary>Sends the cell's request; returns the answer and the request as text (what the caller itself named).</summary>
    private async Task<(ApiClient.Response Answer, string Sent)> SendAsync(Route route, Dictionary<string, object?> values, string credential, List<string> failures)
    {
        var path = route.Pattern;
        foreach (var parameter in route.Parameters)
        {
            if (!values.TryGetValue(parameter, out var value) || value is null)
            {
                failures.Add($"{route.Name}: the matrix has no value for the route parameter '{parameter}': add one to ValuesOfTenantA");
                continue;
            }

            path = path.Replace("{" + parameter + "}", Uri.EscapeDataString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!), StringComparison.Ordinal);
        }

        var body = route.Body is null ? null : BodyOf(route.Body, values, depth: 0);
        var answer = await Api.SendAsync(new HttpMethod(route.Method), path, body, credential);
        return (answer, path + " " + JsonSerializer.Serialize(body));
    }

    /// <summary>A plausible body of <paramref name="type"/>: named values where the matrix has them, a value of the field's type otherwise.</summary>
    private static object? BodyOf(Type type, Dictionary<string, object?> values, int depth)
    {
        if (type == typeof(JsonElement) || type == typeof(JsonElement?))
        {
            return new { name = "pwned" };
        }

        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            body[name] = values.TryGetValue(name, out var value) ? Shaped(value, property.PropertyType) : Default(property.PropertyType, values, depth);
        }

        return body;
    }

    /// <summary>A named value in the field's shape: one address for a string field, a list for a list field.</summary>
    private static object? Shaped(object? value, Type type) =>
        value is string text && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) ? new[] { text } : value;

    private static object? Default(Type type, Dictionary<string, object?> values, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(string) => "pwned",
            _ when underlying == typeof(bool) => true,
            _ when underlying == typeof(int) || underlying == typeof(long) => 1,
            _ when underlying.IsEnum => JsonNamingPolicy.CamelCase.ConvertName(Enum.GetNames(underlying)[^1]),
            _ when underlying == typeof(JsonElement) => new { text = "pwned" },
            _ when typeof(IDictionary).IsAssignableFrom(underlying) => new Dictionary<string, string>(),
            _ when typeof(IEnumerable).IsAssignableFrom(underlying) => Array.Empty<string>(),
            _ when depth < 3 => BodyOf(underlying, values, depth + 1),
            _ => null,
        };
    }

    /// <summary>A 403 or 404 that tells nothing of A beyond what the request itself named (a 404 may echo the address asked for).</summary>
    private static void Refused(List<string> failures, string cell, ApiClient.Response answer, string sent, string[] secrets)
    {
        if (answer.Status is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
        {
            failures.Add($"{cell}: expected 403 or 404, got {(int)answer.Status} {answer.Text}");
        }

        foreach (var secret in secrets.Where(s => answer.Text.Contains(s, StringComparison.OrdinalIgnoreCase) && !sent.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"{cell}: the answer contains '{secret}': {answer.Text}");
        }
    }
}
