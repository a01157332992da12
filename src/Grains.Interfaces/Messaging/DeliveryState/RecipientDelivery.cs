namespace AppMsg.Messaging.DeliveryState;

/// <summary>A recipient and its terminals' states; a recipient with no terminal known to AppMsg has none listed.</summary>
[GenerateSerializer, Immutable]
public sealed record RecipientDelivery(
    [property: Id(0)] string UserId,
    [property: Id(1)] IReadOnlyList<TerminalDelivery> Terminals);
