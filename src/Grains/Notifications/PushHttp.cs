using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// The silo's HTTP clients for the push providers: HTTP/2 over TLS, many streams per connection and
/// <see cref="ConnectionsPerEndpoint"/> connections per provider host, a time limit per request, and the
/// extra CA certificates of <c>APPMSG_PUSH_TRUST_PEM</c> trusted beside the system's.
/// </summary>
/// <remarks>
/// One handler per connection, taken in turn: a single handler with several HTTP/2 connections allowed opens the
/// next one only when the server's stream limit is reached (1,000 at APNs), so nearly all requests would share one
/// connection, whose frames one writer serializes, and the others would idle.
/// </remarks>
public sealed class PushHttp : IDisposable
{
    /// <summary>Connections per provider host (each carries many concurrent streams).</summary>
    public const int ConnectionsPerEndpoint = 4;

    /// <summary>How long one provider request may take before it counts as failed (and is retried).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly X509Certificate2Collection extraRoots = [];
    private readonly HttpClient[] clients;
    private int next;

    public PushHttp(IOptions<PushOptions> options)
    {
        if (options.Value.TrustPemPath is { } path)
        {
            extraRoots.ImportFromPemFile(path);
        }

        clients = [.. Enumerable.Range(0, ConnectionsPerEndpoint).Select(_ => new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        })];
    }

    /// <summary>The next connection's client, in turn.</summary>
    public HttpClient Client => clients[(int)((uint)Interlocked.Increment(ref next) % (uint)clients.Length)];

    /// <summary>
    /// Sends a provider request and reads its answer with <paramref name="interpret"/>; no answer within
    /// <see cref="RequestTimeout"/>, a reset, a TLS or protocol failure (an HTTP/1.1-only server) is a retry, never a throw.
    /// </summary>
    public async Task<SendResult> SendAsync(HttpRequestMessage request, Func<HttpResponseMessage, Task<SendResult>> interpret, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            return await interpret(response);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return SendResult.Retry("timeout");
        }
        catch (HttpRequestException)
        {
            return SendResult.Retry("connection");
        }
        catch (System.Text.Json.JsonException)
        {
            return SendResult.Retry("bad_answer");
        }
    }

    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (extraRoots.Count == 0 || certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
