namespace AppMsg.Notifications;

/// <summary>What a sender asks of a message's offline notification (<c>notification</c> on <c>POST /v1/messages</c>).</summary>
/// <param name="Title">Replaces the title made from the sender.</param>
/// <param name="Body">Replaces the body made from the content.</param>
/// <param name="Sound">The sound to play (APNs <c>sound</c>, FCM <c>sound</c>); none by default.</param>
/// <param name="Data">Extra string fields delivered with the notification's data.</param>
/// <param name="HighPriority">Deliver at once (APNs priority 10, FCM HIGH, Web Push urgency high) rather than at the platform's convenience.</param>
[GenerateSerializer, Immutable]
public sealed record NotificationOverride(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] string? Body = null,
    [property: Id(2)] string? Sound = null,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Data = null,
    [property: Id(4)] bool HighPriority = false);
