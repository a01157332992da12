using AppMsg.Client;

namespace AppMsg.Bench.Systems;

/// <summary>A device on AppMsg: the src/Client <see cref="DeviceClient"/> (it acknowledges every PUSH and IM).</summary>
public sealed class AppMsgConnection : IBenchConnection
{
    private readonly DeviceClient client;
    private readonly Task reading;
    private int disconnects;

    private AppMsgConnection(DeviceClient client, int receiver, MessageHandler onMessage)
    {
        this.client = client;
        reading = ReadAsync(receiver, onMessage);
    }

    public int Disconnects => Volatile.Read(ref disconnects);

    /// <param name="pin">SHA-256 of the edge's self-signed certificate (--tls), or null: the platform validates.</param>
    public static async Task<AppMsgConnection> ConnectAsync(BenchUser user, int receiver, string transport, string? pin, MessageHandler onMessage, CancellationToken cancellationToken)
    {
        var (kind, endpoint) = transport switch
        {
            "tcp" => (DeviceTransportKind.Tcp, user.TcpEndpoint),
            "ws" => (DeviceTransportKind.WebSocketBinary, user.WsEndpoint),
            "wsjson" => (DeviceTransportKind.WebSocketJson, user.WsEndpoint),
            "tls" => (DeviceTransportKind.Tcp, user.TlsEndpoint ?? throw new InvalidOperationException("the edge serves no TLS (login named no tcpTls)")),
            "wss" => (DeviceTransportKind.WebSocketBinary, user.WssEndpoint ?? throw new InvalidOperationException("the edge serves no TLS (login named no wss)")),
            _ => throw new ArgumentException($"unknown transport '{transport}' (tcp, ws, wsjson, tls, wss)"),
        };
        var client = await AppMsgDevices.ConnectAsync(endpoint, kind, user.Id, user.Token, Protocol.TerminalType.Android, cancellationToken, pin);
        return new AppMsgConnection(client, receiver, onMessage);
    }

    public async Task<bool> SendAsync(BenchUser to, string payload, CancellationToken cancellationToken)
    {
        try
        {
            var result = await client.SendImAsync($"{{\"to\":\"{to.Id}@user\",\"type\":\"custom\",\"content\":{payload}}}", cancellationToken);
            return result.IsSuccess;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    public async Task<bool> RecoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.SyncAsync("{}", cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await client.DisposeAsync();
        await reading;
    }

    private async Task ReadAsync(int receiver, MessageHandler onMessage)
    {
        await foreach (var e in client.Events.ReadAllAsync())
        {
            switch (e)
            {
                case PushEvent push:
                    onMessage(receiver, push.Envelope.Span);
                    break;
                case ImEvent im:
                    onMessage(receiver, im.Envelope.Span);
                    break;
                case DisconnectedEvent:
                    Interlocked.Increment(ref disconnects);
                    break;
            }
        }
    }
}
