using AppMsg.Client;

namespace AppMsg.Bench.Systems;

/// <summary>How the tool connects an AppMsg device (src/Client), for the measured devices and the IM publisher alike.</summary>
public static class AppMsgDevices
{
    /// <summary>A connected <see cref="DeviceClient"/>, registered; disposed again when the connect fails.</summary>
    public static async Task<DeviceClient> ConnectAsync(
        string endpoint, DeviceTransportKind transport, string userId, string token, Protocol.TerminalType terminalType, CancellationToken cancellationToken,
        string? pinnedCertificateSha256 = null)
    {
        var client = new DeviceClient(new DeviceClientOptions
        {
            Endpoint = endpoint,
            PinnedCertificateSha256 = pinnedCertificateSha256,
            Transport = transport,
            UserId = userId,
            Token = token,
            TerminalType = terminalType,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(30),
        });
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }
}
