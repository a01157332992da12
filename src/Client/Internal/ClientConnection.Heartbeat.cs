using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>The connection's heartbeat.</summary>
internal sealed partial class ClientConnection
{
    private void StartHeartbeat(TimeSpan? serverHeartbeat)
    {
        var interval = options.HeartbeatInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        if (serverHeartbeat is { } asked && asked < interval)
        {
            interval = asked;
        }

        _ = HeartbeatAsync(interval);
    }

    /// <summary>Sends PING every interval; a missing PONG, or PONG "not registered", ends the connection.</summary>
    private async Task HeartbeatAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(lifetime.Token).ConfigureAwait(false))
            {
                var pong = await RequestAsync(OutboundMessage.ForPing(tids.Next()), MessageType.Pong, lifetime.Token).ConfigureAwait(false);
                if (pong.Code != (byte)PongCode.Ok)
                {
                    Abort($"heartbeat: PONG code {pong.Code} (the server lost the session)");
                    return;
                }
            }
        }
        catch (TimeoutException)
        {
            Abort($"heartbeat: no PONG within {options.RequestTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            // The connection ended; the receive loop reports why.
        }
    }
}
