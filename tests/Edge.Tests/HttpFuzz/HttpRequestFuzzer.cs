using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AppMsg.Edge.Tests.HttpFuzz;

/// <summary>The resources and credentials the fuzzer aims at, so that requests get past authentication and lookups.</summary>
internal sealed record FuzzWorld(
    string AdminKey, string TenantId, string AppId, string AppCredential, string[] UserIds, string UserToken, string QunId, string OrgId)
{
    public string[] Ids => [TenantId, AppId, QunId, OrgId, .. UserIds];
}

/// <summary>
/// Makes hostile requests for the edge's routes: request <c>i</c> of seed <c>s</c> is always the same
/// (its own <see cref="Random"/> seeded from both), so one failing request can be replayed alone.
/// </summary>
internal sealed class HttpRequestFuzzer(IReadOnlyList<FuzzRoute> routes, FuzzWorld firstWorld, int seed, long maxBodyBytes)
{
    private FuzzWorld world = firstWorld;

    private static readonly string[] OtherMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz",
        "application/json; charset=utf-16", "application/json; charset=latin1", "application/problem+json", "application/json;;;",
        "*/*", "application/", "json", "application/json\u00e9",
    ];

    private static readonly string[] HostileValues =
    [
        "1e400", "-1e400", "123456789012345678901234567890", "-9223372036854775809", "18446744073709551616", "1.5", "-0", "0.0000000001e-400",
        "true", "false", "null", "\"\"", "\" \"", "[]", "{}", "[null]", "{\"\":null}", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"",
        "\"2147483648\"", "\"-1\"", "\"NaN\"", "\"Infinity\"", "\"\\\"\"", "\"%00\"", "\"../../etc/passwd\"", "\"<script>\"",
        "\"user@user\"", "\"x@session\"", "\"@qun\"", "\"a:b:c\"", "\"\u202e\u0000\"", "2147483647", "-2147483648", "9223372036854775807", "0", "-1",
    ];

    private static readonly string[] HostileSegments =
    [
        "", "%00", "%ff", "%c3%28", "..", "%2e%2e", "a%2fb", "%25", "-1", "0", "99999999999999999999999", "null", "@", "@user", "x@session",
        "%20", "%e2%80%ae", "%f0%9f%92%a9", "%ed%a0%80", "abcdefghjkmnpqrs", "ABCDEFGHJKMNPQRS", "0000000000000000", "zzzzzzzzzzzzzzzz",
    ];

    private static readonly string[] Strings =
    [
        "correct horse", "fuzz", "a", "Alpha", "https://example.com/hook", "ftp://x", "not a url", "user", "quns", "member", "admin", "owner",
        "disabled", "active", "1", "2", "16", "1.0.0",
    ];

    /// <summary>
    /// The resources and credentials to aim at from now on: the fuzz itself rotates the app's secret and disables the
    /// user, and a request that only ever meets 401 reaches no deeper than authentication.
    /// </summary>
    public FuzzWorld World
    {
        get => Volatile.Read(ref world);
        set => Volatile.Write(ref world, value);
    }

    /// <summary>The request at <paramref name="index"/> of this seed (with the credentials of the current world).</summary>
    public FuzzRequest Create(int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var route = routes[random.Next(routes.Count)];
        var roll = random.Next(100);
        string method;
        string path;
        if (roll < 4)
        {
            method = OtherMethods[random.Next(OtherMethods.Length)];
            path = Path(route, random);
        }
        else if (roll < 7)
        {
            method = route.Methods[random.Next(route.Methods.Length)];
            path = "/v1/" + string.Join('/', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Segment(random)));
        }
        else
        {
            method = route.Methods[random.Next(route.Methods.Length)];
            path = Path(route, random);
        }

        path += Query(route, random);
        var (body, contentType, shape, oversized) = Body(route, method, random);
        return new FuzzRequest(index, route.Pattern, new HttpMethod(method), path, Credential(random), body, contentType, shape) { Oversized = oversized };
    }

    private string Path(FuzzRoute route, Random random)
    {
        var path = route.Pattern;
        foreach (var name in route.RouteParameters)
        {
            path = path.Replace("{" + name + "}", Segment(random), StringComparison.Ordinal);
        }

        return path;
    }

    private string Segment(Random random) => random.Next(10) switch
    {
        < 5 => World.Ids[random.Next(World.Ids.Length)],
        5 => World.Ids[random.Next(World.Ids.Length)] + "@" + new[] { "user", "qun", "app", "session", "org", "x" }[random.Next(6)],
        6 => AppMsg.Ids.New(),
        7 => Uri.EscapeDataString(RandomText(random, random.Next(1, 40))),
        8 => random.Next(4) == 0 ? new string('a', random.Next(1000, 4000)) : random.Next(-5, 40).ToString(CultureInfo.InvariantCulture),
        _ => HostileSegments[random.Next(HostileSegments.Length)],
    };

    private string Query(FuzzRoute route, Random random)
    {
        if (random.Next(3) == 0)
        {
            return "";
        }

        var parts = new List<string>();
        for (var i = 0; i < route.QueryNames.Length; i++)
        {
            if (random.Next(3) == 0)
            {
                continue;
            }

            var type = route.QueryTypes[i];
            var value = random.Next(4) == 0 ? HostileSegments[random.Next(HostileSegments.Length)]
                : type == typeof(string) ? Segment(random)
                : type == typeof(bool) || type == typeof(bool?) ? (random.Next(2) == 0 ? "true" : "false")
                : RandomNumber(random);
            parts.Add(route.QueryNames[i] + "=" + value);
        }

        if (random.Next(8) == 0)
        {
            parts.Add(Segment(random) + "=" + Segment(random));
        }

        if (random.Next(10) == 0 && route.QueryNames.Length > 0)
        {
            // The same parameter twice.
            parts.Add(route.QueryNames[0] + "=1");
            parts.Add(route.QueryNames[0] + "=2");
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private string? Credential(Random random) => random.Next(20) switch
    {
        < 3 => null,
        < 7 => "Bearer " + World.AdminKey,
        < 11 => "Bearer " + World.AppCredential,
        < 15 => "Bearer " + World.UserToken,
        15 => "Bearer " + World.AppId + ":" + RandomText(random, random.Next(0, 60)),
        16 => "Bearer " + RandomText(random, random.Next(0, 200)),
        17 => new[] { "Bearer", "Bearer ", "Basic YTpi", "bearer " + World.UserToken + "x", "Bearer :", "Bearer a:b:c", "Bearer " + World.AdminKey + " " + World.AdminKey }[random.Next(7)],
        18 => "Bearer " + new string('x', random.Next(100, 6000)),
        _ => "Bearer " + AppMsg.Ids.New() + ":" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
    };

    private (byte[]? Body, string? ContentType, string Shape, bool Oversized) Body(FuzzRoute route, string method, Random random)
    {
        var takesBody = route.BodyType is not null;
        if (!takesBody && random.Next(4) != 0)
        {
            return (null, null, "none", false);
        }

        var contentType = random.Next(10) < 8 ? "application/json" : random.Next(8) == 0 ? null : ContentTypes[random.Next(ContentTypes.Length)];
        var json = route.BodyType is { } type ? Value(type, random, 0) : RandomJson(random, 0);
        var roll = random.Next(100);
        return roll switch
        {
            < 50 => (Utf8(json), contentType, "generated", false),
            < 60 => (Utf8(json)[..random.Next(json.Length + 1)], contentType, "truncated", false),
            < 68 => (SpliceInvalidUtf8(Utf8(json), random), contentType, "invalid UTF-8", false),
            < 72 => (Utf8(DeepNesting(random)), contentType, "deep nesting", false),
            < 76 => (RandomBytes(random), contentType, "random bytes", false),
            < 81 => ([], contentType, "empty", false),
            < 83 => (Oversized(random), contentType, "oversized", true),
            < 89 => (Utf8(new[] { "null", "[]", "1", "\"x\"", "true", "[{}]", "{} {}", "{\"a\":1}}", "\ufeff{}" }[random.Next(9)]), contentType, "top-level value", false),
            < 94 => (Utf8(Duplicated(json)), contentType, "duplicate keys", false),
            _ => (Utf8(WideObject(random)), contentType, "many members", false),
        };
    }

    private string Value(Type type, Random random, int depth)
    {
        if (random.Next(5) == 0)
        {
            return HostileValues[random.Next(HostileValues.Length)];
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return JsonSerializer.Serialize(random.Next(3) switch
            {
                0 => World.Ids[random.Next(World.Ids.Length)],
                1 => Strings[random.Next(Strings.Length)],
                _ => RandomText(random, random.Next(0, random.Next(10) == 0 ? 5000 : 30)),
            });
        }

        if (underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(double))
        {
            return RandomNumber(random);
        }

        if (underlying == typeof(bool))
        {
            return random.Next(2) == 0 ? "true" : "false";
        }

        if (underlying.IsEnum)
        {
            var names = Enum.GetNames(underlying);
            return JsonSerializer.Serialize(random.Next(4) == 0 ? RandomText(random, 6) : JsonNamingPolicy.CamelCase.ConvertName(names[random.Next(names.Length)]));
        }

        if (underlying == typeof(JsonElement) || depth > 3)
        {
            return RandomJson(random, depth);
        }

        if (underlying != typeof(string) && typeof(IEnumerable).IsAssignableFrom(underlying))
        {
            var element = underlying.IsArray ? underlying.GetElementType()! : underlying.GetGenericArguments().FirstOrDefault() ?? typeof(string);
            var count = random.Next(10) == 0 ? random.Next(900, 1100) : random.Next(0, 6);
            return "[" + string.Join(',', Enumerable.Range(0, count).Select(_ => Value(element, random, depth + 1))) + "]";
        }

        var members = new List<string>();
        foreach (var (name, fieldType) in FuzzRoute.FieldsOf(underlying))
        {
            if (random.Next(6) != 0)
            {
                members.Add(JsonSerializer.Serialize(random.Next(30) == 0 ? name.ToUpperInvariant() : name) + ":" + Value(fieldType, random, depth + 1));
            }
        }

        if (members.Count == 0 || random.Next(8) == 0)
        {
            members.Add(JsonSerializer.Serialize(RandomText(random, 5)) + ":" + RandomJson(random, depth + 1));
        }

        return "{" + string.Join(',', members) + "}";
    }

    private static string RandomJson(Random random, int depth) => (depth > 4 ? random.Next(4) : random.Next(7)) switch
    {
        0 => RandomNumber(random),
        1 => JsonSerializer.Serialize(RandomText(random, random.Next(0, 20))),
        2 => HostileValues[random.Next(HostileValues.Length)],
        3 => random.Next(2) == 0 ? "true" : "null",
        4 or 5 => "{" + string.Join(',', Enumerable.Range(0, random.Next(0, 5))
            .Select(_ => JsonSerializer.Serialize(Strings[random.Next(Strings.Length)]) + ":" + RandomJson(random, depth + 1))) + "}",
        _ => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomJson(random, depth + 1))) + "]",
    };

    private static string RandomNumber(Random random) => random.Next(8) switch
    {
        0 => random.Next(-3, 20).ToString(CultureInfo.InvariantCulture),
        1 => new[] { "1", "2", "4", "8", "16", "31", "32", "100", "500", "501" }[random.Next(10)],
        2 => random.NextInt64().ToString(CultureInfo.InvariantCulture),
        3 => (-random.NextInt64()).ToString(CultureInfo.InvariantCulture),
        4 => "1" + new string('0', random.Next(10, 400)),
        5 => (random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture),
        6 => "1e" + random.Next(-400, 400).ToString(CultureInfo.InvariantCulture),
        _ => int.MaxValue.ToString(CultureInfo.InvariantCulture),
    };

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(6) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0x80, 0x800),
                2 => (char)random.Next(0xD800, 0xE000),
                3 => "\"\\/:@%?#&=+ "[random.Next(12)],
                _ => (char)random.Next('a', 'z' + 1),
            };
        }

        return new string(chars);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] SpliceInvalidUtf8(byte[] json, Random random)
    {
        byte[][] invalid = [[0xFF], [0xC3, 0x28], [0xE2, 0x28, 0xA1], [0xED, 0xA0, 0x80], [0xF0, 0x28, 0x8C, 0x28], [0xC0, 0xAF], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
        var bad = invalid[random.Next(invalid.Length)];
        var at = random.Next(json.Length + 1);
        return [.. json.AsSpan(0, at), .. bad, .. json.AsSpan(at)];
    }

    private static string DeepNesting(Random random)
    {
        var depth = new[] { 63, 64, 65, 1_000, 100_000 }[random.Next(5)];
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 2000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Oversized(Random random)
    {
        var size = (int)Math.Min(maxBodyBytes + 1 + random.Next(0, 4096), int.MaxValue - 64);
        var body = new byte[size];
        body.AsSpan().Fill((byte)'a');
        "{\"name\":\""u8.CopyTo(body);
        "\"}"u8.CopyTo(body.AsSpan(size - 2));
        return body;
    }

    private static string Duplicated(string json) =>
        json.StartsWith('{') && json.Length > 2 ? "{" + json[1..^1] + "," + json[1..^1] + "}" : json;

    private static string WideObject(Random random) =>
        "{" + string.Join(',', Enumerable.Range(0, random.Next(1_000, 20_000)).Select(i => "\"k" + i.ToString(CultureInfo.InvariantCulture) + "\":" + i.ToString(CultureInfo.InvariantCulture))) + "}";
}
