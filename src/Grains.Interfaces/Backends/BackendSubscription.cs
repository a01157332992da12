namespace AppMsg.Backends;

/// <summary>How a backend subscribes to its app's upstream (<see cref="IAppUpstreamGrain.SubscribeAsync"/>).</summary>
/// <param name="Name">
/// The backend's stable name, unique among the app's backends (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>; 1 to 64).
/// A backend that restarts subscribes with the same name: in <see cref="BackendDeliveryMode.Broadcast"/> mode its cursor
/// is kept by this name, and what was in flight to its previous incarnation is sent again at once.
/// </param>
/// <param name="Mode">Share the work with the app's other shared backends, or receive everything.</param>
/// <param name="SessionEvents">Also receive the online/offline events of the sessions of the app's tenant.</param>
/// <param name="AckTimeoutSeconds">A message not acknowledged within this is sent again (1 to 3,600; default 30).</param>
/// <param name="MaxInFlight">At most this many unacknowledged messages are out to this backend at once (1 to 1,000; default 100).</param>
[GenerateSerializer, Immutable]
public sealed record BackendSubscription(
    [property: Id(0)] string Name,
    [property: Id(1)] BackendDeliveryMode Mode = BackendDeliveryMode.Shared,
    [property: Id(2)] bool SessionEvents = false,
    [property: Id(3)] int AckTimeoutSeconds = 30,
    [property: Id(4)] int MaxInFlight = 100);
