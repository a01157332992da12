namespace AppMsg.Grains.Notifications;

/// <summary>
/// The one place a notification's badge (the user's unread count, on platforms that show one) comes from. Nothing fills
/// it yet: unread counts are being built (#15); wiring them here is all APNs needs (<see cref="PushNotification.Badge"/>
/// becomes <c>aps.badge</c>). A number makes a notification of its own per device, so the shared body is kept while it is null.
/// </summary>
public sealed class PushBadges
{
    /// <summary>The user's badge number, or null to leave the device's badge as it is.</summary>
    public ValueTask<int?> BadgeAsync(string userId) => ValueTask.FromResult<int?>(null);
}
