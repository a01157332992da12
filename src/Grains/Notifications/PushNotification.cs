namespace AppMsg.Grains.Notifications;

/// <summary>What one notification carries, whatever the platform.</summary>
/// <param name="Title">The alert's title.</param>
/// <param name="Body">The alert's text.</param>
/// <param name="Sound">A sound to play, or none.</param>
/// <param name="Data">Custom data: the message's id, timeline and seq, and the sender's extra fields.</param>
/// <param name="CollapseKey">Replaces an undelivered earlier notification of the same key: the timeline.</param>
/// <param name="ExpiresAt">The message's expiry: the provider stops trying then.</param>
/// <param name="HighPriority">Deliver at once rather than at the platform's convenience.</param>
public sealed record PushNotification(
    string Title,
    string Body,
    string? Sound,
    IReadOnlyList<KeyValuePair<string, string>> Data,
    string CollapseKey,
    DateTimeOffset ExpiresAt,
    bool HighPriority)
{
    /// <summary>The custom data fields every notification carries: its message's id, timeline and seq.</summary>
    public const string MessageIdField = "messageId", TimelineField = "timeline", SeqField = "seq";

    /// <summary>The badge (unread count) for platforms that show one; null leaves it alone.</summary>
    public int? Badge { get; init; }

    /// <summary>Whether a data field is one of the message's own (never replaced by the sender's, never dropped).</summary>
    public static bool IsMessageField(string name) => name is MessageIdField or TimelineField or SeqField;
}
