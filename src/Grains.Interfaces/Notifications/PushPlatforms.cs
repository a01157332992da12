namespace AppMsg.Notifications;

/// <summary>The push services a device can be registered with.</summary>
public static class PushPlatforms
{
    /// <summary>Apple Push Notification service (iOS, macOS).</summary>
    public const string Apns = "apns";

    /// <summary>Firebase Cloud Messaging HTTP v1 (Android).</summary>
    public const string Fcm = "fcm";

    /// <summary>Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291).</summary>
    public const string WebPush = "webpush";

    /// <summary>Whether <paramref name="platform"/> is one of the three.</summary>
    public static bool IsKnown(string? platform) => platform is Apns or Fcm or WebPush;
}
