using AppMsg.Sessions;

namespace AppMsg.Backends;

/// <summary>
/// One CALLBACK, keyed by its id (a new <see cref="Ids.New"/> per callback). It sends the payload to the
/// target sessions through their edges and reports the first CBRESP, or the timeout, to the caller's
/// <see cref="ICallbackObserver"/>; later answers are ignored and logged. The waiting happens at the caller,
/// never in one long grain call, so a 60 s wait does not meet Orleans' response timeout.
/// Backends use <see cref="CallbackClient.CallAsync"/>, which does all of this.
/// </summary>
public interface ICallbackGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sends the callback. Answers at once with <see cref="CallbackOutcome.Offline"/> or <see cref="CallbackOutcome.Stored"/>
    /// when no target is online; otherwise null, and the end comes to <paramref name="replyTo"/>.
    /// </summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for a bad request; <c>conflict</c> when this id was used.</exception>
    Task<CallbackResult?> StartAsync(CallbackRequest request, ICallbackObserver? replyTo);

    /// <summary>Sends a stored callback to a session that just registered (called by the user's pending callbacks).</summary>
    Task DeliverStoredAsync(StoredCallback callback, SessionInfo session);

    /// <summary>A terminal's CBRESP (called by the edge that received it).</summary>
    Task AnswerAsync(string sessionId, byte code, byte[] answer);
}
