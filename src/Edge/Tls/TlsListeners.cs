using System.Security.Authentication;
using AppMsg.Edge.Devices;
using Microsoft.AspNetCore.Connections;
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
                listen.UseConnectionHandler<TcpDeviceHandler>();
            });
            kestrel.ListenAnyIP(tls.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(HttpsOptions(certificates));
            });
        });
    }

    private static HttpsConnectionAdapterOptions HttpsOptions(CertificateReloader certificates) => new()
    {
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = ClientCertificateMode.NoCertificate,
        ServerCertificateSelector = (_, _) => certificates.Current,
    };
}
