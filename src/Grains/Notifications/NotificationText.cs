using System.Globalization;
using System.Text.Json;

namespace AppMsg.Grains.Notifications;

/// <summary>The alert text of a message: its text cut at <see cref="MaxBodyLength"/>, or a short label for media.</summary>
public static class NotificationText
{
    /// <summary>The longest body, in text elements (what a lock screen shows is shorter still).</summary>
    public const int MaxBodyLength = 200;

    /// <summary>The longest title.</summary>
    public const int MaxTitleLength = 100;

    public static string Body(string type, string content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            string? Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return type switch
            {
                "text" or "notice" => Truncate(Field("text") ?? "", MaxBodyLength),
                "image" => "[Image]",
                "voice" => "[Voice]",
                "file" => Field("name") is { } name ? Truncate("[File] " + name, MaxBodyLength) : "[File]",
                "link" => Field("title") is { } title ? Truncate("[Link] " + title, MaxBodyLength) : "[Link]",
                _ => "[Message]",
            };
        }
        catch (JsonException)
        {
            return "[Message]";
        }
    }

    /// <summary>Cuts at a text-element boundary (never inside a surrogate pair or a combined character) and marks the cut.</summary>
    public static string Truncate(string text, int max)
    {
        var info = new StringInfo(text);
        return info.LengthInTextElements <= max ? text : info.SubstringByTextElements(0, max - 1) + "…";
    }
}
