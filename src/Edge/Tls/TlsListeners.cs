using System.Security.Authentication;
using AppMsg.Edge.Devices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AppMsg.Edge.Tls;

/// <summary>The edge's TLS listeners: the binary protocol on <see cref="EdgeTlsSettings.TcpPort"/>, HTTPS and <c>wss://</c> on <see cref="EdgeTlsSettings.HttpsPort"/>.</summary>
public static class TlsListeners
{
    /// <summary>Registers the certificate reloader and, when Kestrel is configured, adds both listeners.</summary>
    public static void AddEdgeTls(this WebApplicationBuilder builder, EdgeTlsSettings tls)
    {
        builder.Services.AddSingleton(tls);
        builder.Services.AddSingleton<CertificateReloader>();
        // The slim builder leaves out Kestrel's HTTPS support until asked for.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var certificates = kestrel.ApplicationServices.GetRequiredService<CertificateReloader>();
            kestrel.ListenAnyIP(tls.TcpPort, listen =>
            {
                listen.UseHttps(HttpsOptions(certificates));
                listen.Use(AfterHandshake);
                listen.UseConnectionHandler<TcpDeviceHandler>();
            });
            kestrel.ListenAnyIP(tls.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(HttpsOptions(certificates));
                listen.Use(AfterHandshake);
            });
        });
    }

    private static HttpsConnectionAdapterOptions HttpsOptions(CertificateReloader certificates) => new()
    {
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = ClientCertificateMode.NoCertificate,
        // Kestrel requires a certificate or a selector; OnAuthenticate replaces the selector with the current
        // certificate's context, built once per certificate, so no handshake builds a chain of its own.
        ServerCertificateSelector = (_, _) => certificates.Current,
        OnAuthenticate = (_, options) =>
        {
            options.ServerCertificateSelectionCallback = null;
            options.ServerCertificateContext = certificates.CurrentContext;
        },
    };

    /// <summary>
    /// After the handshake (the connection's first middleware behind TLS): frees idle record buffers
    /// (<see cref="OpenSslIdleBuffers"/>) and counts the handshake as resumed or full (<see cref="TlsResumption"/>).
    /// </summary>
    private static ConnectionDelegate AfterHandshake(ConnectionDelegate next) => context =>
    {
        if (context.Features.Get<ISslStreamFeature>()?.SslStream is { } tls)
        {
            OpenSslIdleBuffers.Release(tls);
            if (TlsResumption.IsResumed(tls) is { } resumed)
            {
                Metrics.EdgeMetrics.TlsHandshake(resumed);
            }
        }

        return next(context);
    };
}
