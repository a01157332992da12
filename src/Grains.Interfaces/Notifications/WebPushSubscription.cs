namespace AppMsg.Notifications;

/// <summary>A browser's Web Push subscription (<c>PushSubscription.toJSON()</c>).</summary>
/// <param name="Endpoint">The push service URL (https).</param>
/// <param name="P256dh">The user agent's P-256 public key, uncompressed, base64url.</param>
/// <param name="Auth">The 16-byte authentication secret, base64url.</param>
[GenerateSerializer, Immutable]
public sealed record WebPushSubscription(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] string P256dh,
    [property: Id(2)] string Auth);
