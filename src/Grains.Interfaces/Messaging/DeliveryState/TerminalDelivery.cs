namespace AppMsg.Messaging.DeliveryState;

/// <summary>One terminal's state for a message.</summary>
/// <param name="TerminalType">The terminal type bit.</param>
/// <param name="DeviceId">The live session of that terminal, when one is online; for <see cref="TerminalDeliveryState.Notified"/>, the registered push device.</param>
/// <param name="State">The state.</param>
/// <param name="At">
/// When the state began, where known: the message's storing (pending, delivered), its expiry, or its acknowledgement
/// (when the cursor grain learned of it; known while the message is among those the terminal's last cursor move
/// covered, else null).
/// </param>
[GenerateSerializer, Immutable]
public sealed record TerminalDelivery(
    [property: Id(0)] int TerminalType,
    [property: Id(1)] string? DeviceId,
    [property: Id(2)] TerminalDeliveryState State,
    [property: Id(3)] DateTimeOffset? At);
