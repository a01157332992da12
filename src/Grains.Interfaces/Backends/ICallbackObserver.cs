using Orleans.Concurrency;

namespace AppMsg.Backends;

/// <summary>Where the caller of a CALLBACK (an edge, a backend) waits for its end; see <see cref="CallbackClient"/>.</summary>
public interface ICallbackObserver : IGrainObserver
{
    /// <summary>The callback was answered, or timed out.</summary>
    [OneWay]
    Task OnCallbackEndedAsync(CallbackResult result);
}
