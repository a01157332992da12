using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AppMsg.Backends;
using AppMsg.Common;
using AppMsg.Messaging;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AppMsg.Grains.Backends;

/// <summary>
/// One CALLBACK, in memory: sends the payload to the target sessions' edges, and reports the first CBRESP
/// or the timeout to the caller's observer. A stored callback's answer goes to the asking app's upstream
/// timeline instead. Answers that come after the end, or for a callback this activation does not know
/// (a silo restarted in between), are logged and ignored; a stored one is then sent again at the next REGISTER.
/// </summary>
public sealed partial class CallbackGrain(AppMsg.Directory.TenantInfoCache tenants, TimeProvider clock, ILogger<CallbackGrain> logger) : Grain, ICallbackGrain
{
    public const int MaxPayloadBytes = 32 * 1024;
    public const int MaxTimeoutMs = 60_000;
    public const int MinTimeoutMs = 100;

    private CallbackRequest? request;
    private ICallbackObserver? replyTo;
    private StoredCallback? stored;
    private bool ended;
    private IGrainTimer? timer;

    private string CallbackId => this.GetPrimaryKeyString();

    public async Task<CallbackResult?> StartAsync(CallbackRequest callback, ICallbackObserver? caller)
    {
        if (request is not null || stored is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "this callback id was used already");
        }

        var target = Validate(callback);
        // Backends call this directly: a disabled tenant's terminals get no callback, stored ones included.
        await tenants.EnsureEnabledAsync(target);
        var sessions = await TargetsAsync(target, callback.TerminalTypes);
        request = callback;
        replyTo = caller;
        if (sessions.Count > 0 && await SendAsync(sessions, callback.PayloadJson) > 0)
        {
            timer = this.RegisterGrainTimer(TimeOutAsync, new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(callback.TimeoutMs), Timeout.InfiniteTimeSpan));
            LogSent(logger, CallbackId, callback.To, sessions.Count);
            return null;
        }

        if (callback.StoreIfOffline)
        {
            var pending = GrainFactory.GetGrain<IPendingCallbacksGrain>(target.Id);
            await pending.StoreAsync(new StoredCallback(
                CallbackId, callback.AppId!, target.Id, callback.PayloadJson, callback.TerminalTypes,
                clock.GetUtcNow().AddSeconds(callback.StoreForSeconds)));
            LogStored(logger, CallbackId, callback.To);

            // A terminal that attached while this was being stored was handed the stored callbacks before this one.
            try
            {
                foreach (var session in await TargetsAsync(target, callback.TerminalTypes))
                {
                    pending.DeliverAsync(session).Ignore();
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // Stored: the terminal's next REGISTER gets it.
                LogRecheckFailed(logger, CallbackId, e.Message);
            }

            return new CallbackResult(CallbackId, CallbackOutcome.Stored);
        }

        ended = true;
        return new CallbackResult(CallbackId, CallbackOutcome.Offline);
    }

    public async Task DeliverStoredAsync(StoredCallback callback, SessionInfo session)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(session);
        if (ended)
        {
            return;
        }

        stored = callback;
        await SendAsync([session], callback.PayloadJson);
    }

    public async Task AnswerAsync(string sessionId, byte code, byte[] answer)
    {
        if (ended || (request is null && stored is null))
        {
            LogIgnored(logger, CallbackId, sessionId, ended ? "it has ended already" : "it is not known here (late, or the silo restarted)");
            return;
        }

        ended = true;
        timer?.Dispose();
        if (stored is { } waiting)
        {
            try
            {
                await GrainFactory.GetGrain<ITimelineGrain>(AppUpstream.TimelineOf(waiting.AppId)).AppendAsync(new NewMessage(
                    Address.User(waiting.UserId).ToString(), $"{waiting.AppId}@app", "custom", AnswerContent(sessionId, code, answer)));
                await GrainFactory.GetGrain<IPendingCallbacksGrain>(waiting.UserId).CompleteAsync(CallbackId);
                LogAnswered(logger, CallbackId, sessionId, code);
            }
            catch (Exception e) when (e is AppMsgException or TimeoutException or OrleansException)
            {
                // Still stored: the next REGISTER sends it again.
                ended = false;
                LogStoreAnswerFailed(logger, CallbackId, e.Message);
            }

            return;
        }

        LogAnswered(logger, CallbackId, sessionId, code);
        replyTo?.OnCallbackEndedAsync(new CallbackResult(CallbackId, CallbackOutcome.Answered, code, answer, sessionId)).Ignore();
    }

    private Task TimeOutAsync()
    {
        timer?.Dispose();
        if (!ended)
        {
            ended = true;
            LogTimedOut(logger, CallbackId, request?.To ?? "");
            replyTo?.OnCallbackEndedAsync(new CallbackResult(CallbackId, CallbackOutcome.Timeout)).Ignore();
        }

        return Task.CompletedTask;
    }

    private async Task<List<SessionInfo>> TargetsAsync(Address target, int terminalTypes)
    {
        if (target.Kind == AddressKind.Session)
        {
            return await GrainFactory.GetGrain<ISessionGrain>(target.Id).GetAsync() is { } session ? [session] : [];
        }

        var sessions = await GrainFactory.GetGrain<IUserSessionsGrain>(target.Id).GetSessionsAsync();
        return [.. sessions.Where(s => (s.TerminalType & terminalTypes) != 0)];
    }

    /// <summary>Hands the CALLBACK to each target's edge; returns how many sessions were on a live edge.</summary>
    private async Task<int> SendAsync(IReadOnlyList<SessionInfo> sessions, string payloadJson)
    {
        var frame = Frame(CallbackId, payloadJson);
        var registry = GrainFactory.GetGrain<IEdgeRegistryGrain>(0);
        var sent = 0;
        foreach (var byEdge in sessions.GroupBy(s => s.EdgeId, StringComparer.Ordinal))
        {
            if (await registry.GetObserverAsync(byEdge.Key) is { } edge)
            {
                List<string> ids = [.. byEdge.Select(s => s.SessionId)];
                edge.CallbackAsync(ids, CallbackId, frame).Ignore();
                sent += ids.Count;
            }
        }

        return sent;
    }

    /// <summary>The CALLBACK body, <c>{"id": callbackId, "payload": ...}</c>.</summary>
    public static byte[] Frame(string callbackId, string payloadJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", callbackId);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(payloadJson);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The content of the custom message that carries a stored callback's answer to the app.</summary>
    public static string AnswerContent(string sessionId, byte code, byte[] answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("callback");
            writer.WriteString("sessionId", sessionId);
            writer.WriteNumber("code", code);
            writer.WriteString("answer", Convert.ToBase64String(answer));
            if (Utf8.IsValid(answer))
            {
                writer.WriteString("answerText", Encoding.UTF8.GetString(answer));
            }
            else
            {
                writer.WriteNull("answerText");
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private Address Validate(CallbackRequest callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (!Address.TryParse(callback.To, out var target) || target.Kind is not (AddressKind.User or AddressKind.Session) || !Ids.IsValid(target.Id))
        {
            throw AppMsgException.Invalid("to", "to must be <sessionId>@session or <userId>@user");
        }

        if (callback.TerminalTypes is < 1 or > 31)
        {
            throw AppMsgException.Invalid("terminalTypes", "terminalTypes must be a mask from 1 to 31");
        }

        if (callback.TimeoutMs is < MinTimeoutMs or > MaxTimeoutMs)
        {
            throw AppMsgException.Invalid("timeoutMs", $"timeoutMs must be {MinTimeoutMs} to {MaxTimeoutMs}");
        }

        if (callback.PayloadJson is null || Encoding.UTF8.GetByteCount(callback.PayloadJson) > MaxPayloadBytes || !IsOneJsonValue(callback.PayloadJson))
        {
            throw AppMsgException.Invalid("payload", $"payload must be one JSON value of at most {MaxPayloadBytes} bytes");
        }

        if (callback.StoreIfOffline)
        {
            if (target.Kind != AddressKind.User)
            {
                throw AppMsgException.Invalid("storeIfOffline", "only callbacks to a user can be stored");
            }

            if (!Ids.IsValid(callback.AppId))
            {
                throw AppMsgException.Invalid("appId", "a stored callback needs the app that receives its answer");
            }

            if (callback.StoreForSeconds is < 60 or > 2_592_000)
            {
                throw AppMsgException.Invalid("storeForSeconds", "storeForSeconds must be 60 to 2592000");
            }
        }

        return target;
    }

    private static bool IsOneJsonValue(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback {CallbackId} to {To} sent to {Count} sessions")]
    private static partial void LogSent(ILogger logger, string callbackId, string to, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback {CallbackId} to {To} stored until the target registers")]
    private static partial void LogStored(ILogger logger, string callbackId, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback {CallbackId} stored; whether its target attached meanwhile is unknown ({Reason}): it goes at the next REGISTER")]
    private static partial void LogRecheckFailed(ILogger logger, string callbackId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback {CallbackId} answered by session {SessionId} with code {Code}")]
    private static partial void LogAnswered(ILogger logger, string callbackId, string sessionId, byte code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback {CallbackId} to {To} timed out")]
    private static partial void LogTimedOut(ILogger logger, string callbackId, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CBRESP for callback {CallbackId} from session {SessionId} ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string callbackId, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback {CallbackId}: the answer could not be handed to the app ({Reason}); it is sent again at the next REGISTER")]
    private static partial void LogStoreAnswerFailed(ILogger logger, string callbackId, string reason);
}
