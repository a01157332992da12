using AppMsg.Client.Internal;

namespace AppMsg.Client;

/// <summary>Filling gaps: a SYNC with the cursors the client knows, shortly after it notices a missing seq.</summary>
public sealed partial class DeviceClient
{
    private int gapSync; // 1 while a gap SYNC waits for its delay or for its answer
    private int gapAgain; // a gap was noticed while one was out

    /// <summary>Called when a message arrives beyond a missing seq: schedules one SYNC unless one is already out.</summary>
    private void OnGap()
    {
        if (Interlocked.CompareExchange(ref gapSync, 1, 0) != 0)
        {
            Volatile.Write(ref gapAgain, 1);
            return;
        }

        _ = SyncGapsAsync();
    }

    /// <summary>
    /// Waits <see cref="DeviceClientOptions.GapSyncDelay"/> for messages on their way, then sends SYNC with the cursors of the
    /// known timelines if a gap remains. A complete answer settles the gaps (what did not come is expired or not for this
    /// terminal). Never throws: a SYNC that fails leaves the gap to the next message or the next REGISTER's replay.
    /// </summary>
    private async Task SyncGapsAsync()
    {
        var again = false;
        try
        {
            await Task.Delay(Options.GapSyncDelay, lifetime.Token).ConfigureAwait(false);
            Volatile.Write(ref gapAgain, 0);
            if (deliveries.Gaps() is not { } gaps)
            {
                return;
            }

            var response = await Current().RequestQuietSyncAsync(OutboundMessage.ForSync(tids.Next(), SyncBody(gaps.Cursors)), lifetime.Token)
                .ConfigureAwait(false);
            var result = SyncResult.FromResponse(response);
            if (result.IsSuccess && result.Complete)
            {
                deliveries.Settle(gaps);
                again = Volatile.Read(ref gapAgain) != 0;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException or TimeoutException or ObjectDisposedException)
        {
            // Disposed, not registered now, or no answer: the gap stays for the next message or the next REGISTER's replay.
        }
        finally
        {
            Volatile.Write(ref gapSync, 0);
        }

        if (again && !IsDisposed)
        {
            OnGap();
        }
    }
}
