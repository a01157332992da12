using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// An APNs stand-in for the notify benchmark: HTTP/2 over TLS on loopback with a self-signed certificate
/// (written as a PEM for the silo's APPMSG_PUSH_TRUST_PEM), answering 200 to every <c>POST /3/device/{token}</c>
/// and noting when each request for each message id arrived. It checks nothing: the tests do that.
/// </summary>
public sealed class LoopbackApns : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly X509Certificate2 certificate;

    private LoopbackApns(WebApplication app, X509Certificate2 certificate, int port, string pemPath)
    {
        this.app = app;
        this.certificate = certificate;
        Url = $"https://localhost:{port}";
        TrustPemPath = pemPath;
    }

    public string Url { get; }

    public string TrustPemPath { get; }

    /// <summary>(message id, Stopwatch timestamp) of every request received.</summary>
    public ConcurrentQueue<(string MessageId, long At)> Received { get; } = new();

    public long Count => Received.Count;

    public static async Task<LoopbackApns> StartAsync(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=loopback-apns", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        System.IO.Directory.CreateDirectory(directory);
        var pemPath = Path.Combine(directory, "loopback-apns.pem");
        await File.WriteAllTextAsync(pemPath, certificate.ExportCertificatePem());

        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.Http2.MaxStreamsPerConnection = 1_000;
            k.ListenLocalhost(port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        var apns = new LoopbackApns(app, certificate, port, pemPath);
        app.MapPost("/3/device/{token}", async (HttpContext context) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            apns.Received.Enqueue((body.RootElement.GetProperty("messageId").GetString()!, at));
            return Results.Ok();
        });
        await app.StartAsync();
        return apns;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        certificate.Dispose();
    }
}
