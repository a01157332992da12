using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Testing;

/// <summary>Both ends of a real TLS connection on loopback (a self-signed certificate); the server's writes to its socket are counted.</summary>
public sealed class TlsLoopback : IAsyncDisposable
{
    private readonly WriteCountingStream serverSocket;

    private TlsLoopback(SslStream server, SslStream client, WriteCountingStream serverSocket)
    {
        Server = server;
        Client = client;
        this.serverSocket = serverSocket;
    }

    public SslStream Server { get; }

    public SslStream Client { get; }

    /// <summary>Writes the server's TLS stream made to its socket so far: one per TLS record it sent.</summary>
    public int ServerWrites => serverSocket.Writes;

    public static async Task<TlsLoopback> OpenAsync()
    {
        using var certificate = TestCertificate.Create("loopback");
        var served = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connecting = new TcpClient { NoDelay = true };
        var connected = connecting.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var accepted = await listener.AcceptTcpClientAsync();
        await connected;
        accepted.NoDelay = true;
        var serverSocket = new WriteCountingStream(accepted.GetStream());
        var server = new SslStream(serverSocket);
        var client = new SslStream(connecting.GetStream(), false, (_, _, _, _) => true);
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = served }),
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }));
        return new TlsLoopback(server, client, serverSocket);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
