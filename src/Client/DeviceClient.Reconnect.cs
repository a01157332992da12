using AppMsg.Client.Internal;

namespace AppMsg.Client;

/// <summary>Watching the connection and reopening it.</summary>
public sealed partial class DeviceClient
{
    /// <summary>
    /// Waits for each connection to end, reports it, and reconnects when the rules allow, until the client is
    /// disposed or a connection ends for good. Never throws.
    /// </summary>
    private async Task SuperviseAsync(ClientConnection connection)
    {
        var backoff = new ReconnectBackoff(Options.ReconnectInitialDelay, Options.ReconnectMaxDelay, Random.Shared);
        while (true)
        {
            var reason = await connection.Completion.ConfigureAwait(false);
            var kick = connection.Kick;
            var reconnect = !lifetime.IsCancellationRequested && ReconnectRules.ShouldReconnect(Options.Reconnect, kick);
            SetState(reconnect ? DeviceClientState.Connecting : DeviceClientState.Disconnected);
            events.Writer.TryWrite(new DisconnectedEvent(reason, kick, reconnect));
            if (!reconnect)
            {
                return;
            }

            var next = await ReconnectAsync(backoff).ConfigureAwait(false);
            if (next is null)
            {
                SetState(DeviceClientState.Disconnected);
                return;
            }

            connection = next;
        }
    }

    /// <summary>
    /// Tries to connect and register again after a delay from <paramref name="backoff"/>, until it works, the
    /// server refuses the registration for good, or the client is disposed (null).
    /// </summary>
    private async Task<ClientConnection?> ReconnectAsync(ReconnectBackoff backoff)
    {
        var attempts = 0;
        while (true)
        {
            try
            {
                await Task.Delay(backoff.NextDelay(), lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            attempts++;
            var attempt = attempts;
            ClientConnection connection;
            try
            {
                connection = await ClientConnection.OpenAsync(
                    Options,
                    tids,
                    events.Writer,
                    deliveries,
                    registered =>
                    {
                        Publish(registered);
                        events.Writer.TryWrite(new ReconnectedEvent(registered.Registration!, attempt));
                    },
                    lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                return null;
            }
            catch (DeviceRegistrationException e) when (e.IsPermanent)
            {
                events.Writer.TryWrite(new DisconnectedEvent($"registering again was refused with code {(byte)e.Code} ({e.Code})", null, false));
                return null;
            }
#pragma warning disable CA1031 // Any failure of one attempt (refused connection, timeout, busy server) means: try again later.
            catch (Exception)
#pragma warning restore CA1031
            {
                SetState(DeviceClientState.Connecting);
                continue;
            }

            backoff.Reset();
            if (lifetime.IsCancellationRequested)
            {
                // Disposed while this attempt completed: the supervisor sees the connection end and stops.
                connection.Abort("disposed");
            }

            return connection;
        }
    }
}
