namespace AppMsg.Notifications;

/// <summary>One registered device of a user: where its platform's push service reaches it.</summary>
/// <param name="DeviceId">The device's id, chosen by the client (1 to 128 of <c>A-Z a-z 0-9 . _ : -</c>).</param>
/// <param name="Platform"><see cref="PushPlatforms"/>: apns, fcm or webpush.</param>
/// <param name="AppId">The app whose credentials reach the device (of the user's tenant).</param>
/// <param name="TerminalType">The terminal type bit the device's sessions register with (1 Android, 2 iOS, 4 WinPhone, 8 Web, 16 PC).</param>
/// <param name="Token">The APNs or FCM device token; null for Web Push.</param>
/// <param name="Subscription">Web Push: the browser's subscription; null otherwise.</param>
/// <param name="Sandbox">APNs: the device's app was built for the development (sandbox) environment.</param>
[GenerateSerializer, Immutable]
public sealed record PushDevice(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string Platform,
    [property: Id(2)] string AppId,
    [property: Id(3)] int TerminalType,
    [property: Id(4)] string? Token,
    [property: Id(5)] WebPushSubscription? Subscription,
    [property: Id(6)] bool Sandbox);
