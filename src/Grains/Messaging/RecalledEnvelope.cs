using System.Text.Json;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// The shapes of a recall: the tombstone that replaces a recalled message in storage (same id, timeline, seq, sender and
/// times; type <c>recalled</c>, content <c>{}</c>), and the <c>recall</c> notice appended after it (<c>{"id","seq","by"}</c>).
/// </summary>
public static class RecalledEnvelope
{
    public const string TombstoneType = "recalled";
    public const string NoticeType = "recall";

    /// <summary>What the tombstone keeps of the original envelope.</summary>
    public static (string From, string To, DateTimeOffset At, DateTimeOffset? ExpiresAt) Read(byte[] envelope)
    {
        using var document = JsonDocument.Parse(envelope);
        var root = document.RootElement;
        var expires = root.TryGetProperty("expiresAt", out var e) && e.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds(e.GetInt64())
            : (DateTimeOffset?)null;
        return (root.GetProperty("from").GetString()!, root.GetProperty("to").GetString()!,
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("ts").GetInt64()), expires);
    }

    public static string NoticeContent(string messageId, long seq, string recalledBy) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = messageId, ["seq"] = seq, ["by"] = recalledBy });
}
