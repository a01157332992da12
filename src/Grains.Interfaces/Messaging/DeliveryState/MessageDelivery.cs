namespace AppMsg.Messaging.DeliveryState;

/// <summary>
/// A stored message and the state of each recipient's terminals (one page of recipients for a qun; none for org,
/// tenant and app-broadcast audiences, which <see cref="RecipientsListed"/> says).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MessageDelivery(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Timeline,
    [property: Id(2)] long Seq,
    [property: Id(3)] string Sender,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] IReadOnlyList<RecipientDelivery> Recipients,
    [property: Id(7)] string? Next,
    [property: Id(8)] bool RecipientsListed);
