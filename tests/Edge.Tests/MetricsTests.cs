using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class MetricsTests(DeviceTestSystem system, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<DeviceTestSystem>, IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private Uri EdgeMetrics => new($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/metrics");

    private Uri SiloMetrics => new($"http://127.0.0.1:{system.SiloSettings.MetricsPort}/metrics");

    [Fact]
    public async Task Edge_and_silo_metrics_parse_as_prometheus_text_and_move_with_real_traffic()
    {
        var edgeBefore = await ScrapeAsync(EdgeMetrics);
        var siloBefore = await ScrapeAsync(SiloMetrics);

        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, token)).Body[0]);
        await system.WaitUntilLiveAsync(userId);
        for (var i = 0; i < 3; i++)
        {
            (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = $"m{i}" } }, system.AdminKey))
                .Expect(HttpStatusCode.OK);
            var push = await device.ReceiveAsync();
            Assert.Equal(MessageType.Push, push.Type);
            await device.AcknowledgeAsync(push);
        }

        // Counters are process-wide and other test classes run alongside: each must have grown by at least this traffic.
        var edge = await Eventually.ReturnsAsync(() => ScrapeAsync(EdgeMetrics),
            m => Grown(edgeBefore, m, "appmsg_edge_acknowledgement_duration_seconds_count", null, 3), TimeSpan.FromSeconds(15), "acknowledgements in the edge's metrics");
        Assert.True(Grown(edgeBefore, edge, "appmsg_edge_deliveries_total", "path=\"live\"", 3));
        Assert.True(Grown(edgeBefore, edge, "appmsg_edge_registers_total", "result=\"ok\"", 1));
        Assert.True(Grown(edgeBefore, edge, "appmsg_edge_messages_accepted_total", null, 3));
        Assert.True(Grown(edgeBefore, edge, "appmsg_edge_publish_to_socket_duration_seconds_count", null, 3));
        Assert.True(edge.Sum("appmsg_edge_connections", "transport=\"tcp\"") >= 1);
        // A delivery on one machine is stored and on the socket within seconds, not minutes.
        Assert.True(edge.Sum("appmsg_edge_publish_to_socket_duration_seconds_sum") - edgeBefore.Sum("appmsg_edge_publish_to_socket_duration_seconds_sum") < 3 * 5);
        // The platform's meters: Kestrel, ASP.NET Core, the runtime, Orleans' client.
        Assert.True(edge.Has("kestrel_active_connections"), "Kestrel's meter is missing");
        Assert.True(edge.Has("http_server_request_duration_seconds_count"), "ASP.NET Core's meter is missing");
        Assert.True(edge.Has("dotnet_gc_collections_total"), "the runtime's meter is missing");

        var silo = await Eventually.ReturnsAsync(() => ScrapeAsync(SiloMetrics),
            m => Grown(siloBefore, m, "appmsg_silo_messages_stored_total", null, 3), TimeSpan.FromSeconds(15), "stored messages in the silo's metrics");
        Assert.True(Grown(siloBefore, silo, "appmsg_silo_group_commit_batch_size_count", null, 1));
        Assert.True(Grown(siloBefore, silo, "appmsg_silo_group_commit_duration_seconds_count", null, 1));
        Assert.True(silo.Has("dotnet_gc_collections_total"), "the runtime's meter is missing");
        Assert.Contains(silo.Text.Split('\n'), l => l.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(silo.Text.Split('\n'), l => l.StartsWith("db_client_", StringComparison.Ordinal));

        await PromtoolAcceptsAsync(edge.Text);
        await PromtoolAcceptsAsync(silo.Text);
    }

    [Fact]
    public async Task The_orleans_dashboard_answers_the_admin_key_only()
    {
        var dashboard = new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/dashboard/");
        using var anonymous = await http.GetAsync(dashboard);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, dashboard);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:not-the-key")));
        using var refused = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var basic = new HttpRequestMessage(HttpMethod.Get, dashboard);
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + system.AdminKey)));
        using var page = await http.SendAsync(basic);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", page.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Recording_a_delivery_allocates_nothing_once_its_series_exist()
    {
        // The running edge's meter provider listens to these instruments, as in production.
        var storedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 100; i++)
        {
            Edge.Metrics.EdgeMetrics.Delivered(replay: false, storedAtMs);
            Edge.Metrics.EdgeMetrics.Delivered(replay: true, 0);
            Edge.Metrics.EdgeMetrics.Acknowledged(3);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Edge.Metrics.EdgeMetrics.Delivered(replay: false, storedAtMs);
            Edge.Metrics.EdgeMetrics.Delivered(replay: true, 0);
            Edge.Metrics.EdgeMetrics.Acknowledged(3);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000, $"30,000 records allocated {allocated} bytes");
    }

    [Fact]
    public async Task The_edge_sends_its_metrics_gzipped_to_a_scraper_that_asks_and_plain_to_one_that_does_not()
    {
        var plain = await ScrapeAsync(EdgeMetrics);
        using var request = new HttpRequestMessage(HttpMethod.Get, EdgeMetrics);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        await using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        var text = await new StreamReader(unzip, Encoding.UTF8).ReadToEndAsync();
        // A whole scrape (the series themselves come and go with traffic and other edges in this process).
        var samples = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
        _ = new PrometheusText(text); // throws on a line that does not parse
        Assert.True(samples.Count > 50, $"{samples.Count} samples");
        Assert.Contains(samples, l => l.StartsWith("appmsg_edge_", StringComparison.Ordinal));
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        output.WriteLine($"gzip: {compressed.Length} bytes for {Encoding.UTF8.GetByteCount(text)} bytes of text (plain scrape: {plain.Text.Length} characters)");
        Assert.True(compressed.Length * 4 < Encoding.UTF8.GetByteCount(text), $"{compressed.Length} bytes gzipped of {text.Length}");
    }

    public void Dispose() => http.Dispose();

    private static bool Grown(PrometheusText before, PrometheusText after, string name, string? label, double by) =>
        after.Sum(name, label) - before.Sum(name, label) >= by;

    private async Task<PrometheusText> ScrapeAsync(Uri uri)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(uri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{uri}: {text.Length} characters, {text.Split('\n').Count(l => l.Length > 0 && l[0] != '#')} samples, {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        return new PrometheusText(text);
    }

    /// <summary>
    /// Prometheus' own checker (Debian's <c>prometheus</c> package; <c>./run.sh test</c> installs it) must parse the whole
    /// scrape, and find nothing to lint in AppMsg's series. The platform's meters (Orleans' camelCase labels, series
    /// without help text) draw lint remarks that are theirs to fix, so those are not held against the scrape.
    /// </summary>
    private static async Task PromtoolAcceptsAsync(string text)
    {
        using var promtool = Process.Start(new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("promtool did not start");
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.DoesNotContain("error while linting", output, StringComparison.Ordinal);
        Assert.DoesNotContain("parsing error", output, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith("appmsg_", StringComparison.Ordinal));
    }
}
