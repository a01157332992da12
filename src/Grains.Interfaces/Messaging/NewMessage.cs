namespace AppMsg.Messaging;

/// <summary>A message to append to one timeline.</summary>
/// <param name="From">The sender's address (<c>id@user</c>, <c>id@app</c>, or an operator's address).</param>
/// <param name="To">The addressee as the sender wrote it (the timeline's address, for direct messages the user's).</param>
/// <param name="Type">text, image, voice, video, link, file, custom or notice.</param>
/// <param name="Content">The content, a JSON object whose fields match the type.</param>
/// <param name="TtlSeconds">How long the message is delivered; null for the default (7 days), at most the configured cap.</param>
/// <param name="TerminalTypes">Which terminal types receive it, live and on replay (a mask, 31 = all).</param>
/// <param name="ExceptSessionId">A session that must not receive it live (the terminal that sent it).</param>
/// <param name="ClientMsgId">The sender's idempotency key: the same key from the same sender to the same timeline within
/// 24 hours is answered with the first receipt and stored once.</param>
/// <param name="OnlySessions">When set, only these sessions receive it live (appmsgsrv's session filter); replay still
/// follows <paramref name="TerminalTypes"/>.</param>
/// <param name="Notify">False: no offline notification (APNs, FCM, Web Push) for this message.</param>
/// <param name="Notification">The sender's title, body, sound, data and priority for the offline notification.</param>
[GenerateSerializer, Immutable]
public sealed record NewMessage(
    [property: Id(0)] string From,
    [property: Id(1)] string To,
    [property: Id(2)] string Type,
    [property: Id(3)] string Content,
    [property: Id(4)] int? TtlSeconds = null,
    [property: Id(5)] int TerminalTypes = 31,
    [property: Id(6)] string? ExceptSessionId = null,
    [property: Id(7)] string? ClientMsgId = null,
    [property: Id(8)] IReadOnlyList<string>? OnlySessions = null,
    [property: Id(9)] bool Notify = true,
    [property: Id(10)] AppMsg.Notifications.NotificationOverride? Notification = null);
