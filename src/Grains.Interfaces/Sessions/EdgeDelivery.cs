namespace AppMsg.Sessions;

/// <summary>
/// One delivery in a batch an edge receives from one sender (<see cref="IEdgeObserver.DeliverAsync"/>): either to named
/// sessions held by the edge (<see cref="SessionIds"/>), or to every connection of the edge subscribed to one of the
/// <see cref="Audiences"/> (a group message, sent once per edge however many members the group has).
/// </summary>
/// <param name="Delivery">The message.</param>
/// <param name="SessionIds">The sessions that get it, for a delivery to sessions.</param>
/// <param name="PassOver">Sessions that do not get it (outside its terminal mask or session filter) but whose
/// acknowledgement cursors move past it.</param>
/// <param name="Audiences">For a group message: the audiences (see <see cref="AppMsg.Messaging.Audiences"/>) whose
/// subscribers get it.</param>
/// <param name="TerminalTypes">For a group message: the terminal types that get it.</param>
/// <param name="ExceptSessionId">For a group message: the terminal that sent it, which does not get it back.</param>
/// <param name="OnlySessions">For a group message: when set, only these sessions get it.</param>
[GenerateSerializer, Immutable]
public sealed record EdgeDelivery(
    [property: Id(0)] Delivery Delivery,
    [property: Id(1)] IReadOnlyList<string>? SessionIds = null,
    [property: Id(2)] IReadOnlyList<string>? PassOver = null,
    [property: Id(3)] IReadOnlyList<string>? Audiences = null,
    [property: Id(4)] int TerminalTypes = 0,
    [property: Id(5)] string? ExceptSessionId = null,
    [property: Id(6)] IReadOnlyList<string>? OnlySessions = null)
{
    /// <summary>To the named sessions of the edge.</summary>
    public static EdgeDelivery ToSessions(Delivery delivery, IReadOnlyList<string> sessionIds, IReadOnlyList<string>? passOver = null) =>
        new(delivery, sessionIds, passOver);

    /// <summary>To the edge's subscribers of the audiences.</summary>
    public static EdgeDelivery ToAudiences(Delivery delivery, IReadOnlyList<string> audiences, int terminalTypes, string? exceptSessionId, IReadOnlyList<string>? onlySessions) =>
        new(delivery, Audiences: audiences, TerminalTypes: terminalTypes, ExceptSessionId: exceptSessionId, OnlySessions: onlySessions);
}
