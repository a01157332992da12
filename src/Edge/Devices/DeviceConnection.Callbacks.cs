using AppMsg.Backends;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>
/// CALLBACK down and CBRESP up: each CALLBACK gets a TID of this connection; the CBRESP on that TID goes
/// to the callback's grain with its code and answer bytes. A CBRESP with a TID this connection did not
/// send a CALLBACK on, or after the protocol's 60 s, is logged and ignored.
/// </summary>
public sealed partial class DeviceConnection
{
    /// <summary>The CALLBACK transaction timeout (section 1 of the protocol).</summary>
    public static readonly TimeSpan CallbackTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan RegistrationWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RegistrationPoll = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<uint, SentCallback> sentCallbacks = [];

    /// <summary>Sends a CALLBACK in the background (the edge observer must not wait for it).</summary>
    public void StartCallback(string callbackId, byte[] payloadJson) => _ = SendCallbackAsync(callbackId, payloadJson);

    private async Task SendCallbackAsync(string callbackId, byte[] payloadJson)
    {
        try
        {
            // A stored callback is sent as its session attaches: REGRESP (and the replay after it) go first.
            var waited = TimeSpan.Zero;
            while (IsReplaying && !IsClosing && waited < RegistrationWait)
            {
                await Task.Delay(RegistrationPoll);
                waited += RegistrationPoll;
            }

            if (IsClosing || session is null)
            {
                return;
            }

            var tid = tids.Next();
            var now = DateTime.UtcNow;
            lock (sentCallbacks)
            {
                foreach (var (old, sent) in sentCallbacks)
                {
                    if (now - sent.SentAt > CallbackTimeout)
                    {
                        sentCallbacks.Remove(old);
                    }
                }

                sentCallbacks[tid] = new SentCallback(callbackId, now);
            }

            LogCallbackSent(services.Logger, session.SessionId, callbackId, tid);
            channel.SendCallback(tid, payloadJson);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException or ArgumentException)
        {
            LogCallbackNotSent(services.Logger, session?.SessionId, callbackId, e.Message);
        }
    }

    /// <summary>True while a replay runs (from REGISTER until its replay is sent): live deliveries are held meanwhile.</summary>
    public bool IsReplaying
    {
        get
        {
            lock (heldBack)
            {
                return replaying;
            }
        }
    }

    /// <summary>CBRESP: the code, then the terminal's answer bytes.</summary>
    private async Task OnCallbackResponseAsync(uint tid, ReadOnlyMemory<byte> body)
    {
        if (!TryParseCallbackResponse(body, out var code, out var answer, out var error))
        {
            OnProtocolError(error);
            return;
        }

        SentCallback? sent;
        lock (sentCallbacks)
        {
            sentCallbacks.Remove(tid, out sent);
        }

        if (sent is null)
        {
            LogCallbackResponseIgnored(services.Logger, session!.SessionId, tid, "no CALLBACK was sent on this TID (or it was answered already)");
            return;
        }

        if (DateTime.UtcNow - sent.SentAt > CallbackTimeout)
        {
            LogCallbackResponseIgnored(services.Logger, session!.SessionId, tid, "it came after the 60 s timeout");
            return;
        }

        try
        {
            await services.Cluster.GetGrain<ICallbackGrain>(sent.CallbackId).AnswerAsync(session!.SessionId, code, answer);
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogCallbackNotSent(services.Logger, session?.SessionId, sent.CallbackId, e.Message);
        }
    }

    private static bool TryParseCallbackResponse(ReadOnlyMemory<byte> body, out byte code, out byte[] answer, out ProtocolError error)
    {
        var parsed = CodeBody.TryParse(body.Span, out code, out var rest, out error);
        answer = parsed ? rest.ToArray() : [];
        return parsed;
    }

    private sealed record SentCallback(string CallbackId, DateTime SentAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: CALLBACK {CallbackId} sent on TID {Tid}")]
    private static partial void LogCallbackSent(ILogger logger, string sessionId, string callbackId, uint tid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: CALLBACK {CallbackId} not delivered: {Reason}")]
    private static partial void LogCallbackNotSent(ILogger logger, string? sessionId, string callbackId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: CBRESP on TID {Tid} ignored: {Reason}")]
    private static partial void LogCallbackResponseIgnored(ILogger logger, string sessionId, uint tid, string reason);
}
