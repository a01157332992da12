using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using AppMsg.Grains.Notifications;
using AppMsg.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class HangingProviderTests(NotificationSystem system)
{
    [Fact]
    public async Task A_provider_that_never_answers_times_out_after_10_s_counted_as_a_retry_while_another_apps_notification_goes_at_once()
    {
        await using var hanging = await HangingServer.StartAsync(system.Certificate);
        var (tenantId, userId) = await system.NewUserAsync();
        var (hangingApp, hangingCredential) = await system.NewAppAsync(tenantId);
        var (healthyApp, healthyCredential) = await system.NewAppAsync(tenantId);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (await system.Api.PutAsync($"/v1/apps/{hangingApp}/push/apns", new
        {
            keyId = "KEY0000002", teamId = "TEAM123456", topic = "dev.appmsg.hanging", privateKey = key.ExportPkcs8PrivateKeyPem(), endpoint = hanging.Url,
        }, hangingCredential)).Expect(HttpStatusCode.NoContent);
        await system.SetUpApnsAsync(healthyApp, healthyCredential);
        await system.RegisterIosAsync(userId, hangingApp, hangingCredential, deviceId: "hanging");
        var healthyToken = await system.RegisterIosAsync(userId, healthyApp, healthyCredential, deviceId: "healthy");

        var sent = Stopwatch.StartNew();
        await system.SendAsync($"{userId}@user", "to both apps", system.AdminKey);

        // The healthy app's request does not wait for the hanging one.
        await system.Providers.WaitForAsync(healthyToken, 1, TimeSpan.FromSeconds(5));
        Assert.True(sent.Elapsed < PushHttp.RequestTimeout, $"the healthy notification took {sent.Elapsed}");
        await Eventually.ReturnsAsync(() => Task.FromResult(hanging.Received), n => n >= 1, TimeSpan.FromSeconds(5), "the hanging provider reached");

        var counts = await Eventually.ReturnsAsync(() => Task.FromResult(system.SiloServices<PushMetrics>().Snapshot(hangingApp)),
            c => c.GetValueOrDefault("retried") >= 1, PushHttp.RequestTimeout + TimeSpan.FromSeconds(8), "the timed-out attempt counted as a retry");
        Assert.True(sent.Elapsed >= PushHttp.RequestTimeout, $"given up after {sent.Elapsed}, before the 10 s limit");
        Assert.False(counts.ContainsKey("sent"));
    }
}

/// <summary>An HTTP/2 TLS server with the fakes' trusted certificate that reads each request and never answers.</summary>
public sealed class HangingServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int received;

    private HangingServer(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; }

    public int Received => Volatile.Read(ref received);

    public static async Task<HangingServer> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var server = new HangingServer(app, $"https://localhost:{port}");
        app.MapPost("/3/device/{token}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref server.received);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
