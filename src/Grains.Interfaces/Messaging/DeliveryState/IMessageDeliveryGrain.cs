namespace AppMsg.Messaging.DeliveryState;

/// <summary>
/// Reads where a stored message stands for its recipients' terminals, from the users' cursors and live sessions.
/// A stateless worker: use key 0.
/// </summary>
public interface IMessageDeliveryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The message's delivery state, or null when no stored message has this id (never stored, or pruned after expiry).
    /// Qun recipients come in pages of <paramref name="limit"/> members after <paramref name="afterUserId"/>.
    /// </summary>
    Task<MessageDelivery?> GetAsync(string messageId, string? afterUserId, int limit);
}
