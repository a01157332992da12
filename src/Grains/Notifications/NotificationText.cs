using System.Globalization;
using System.Text;
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

    /// <summary>
    /// Cuts at a text-element boundary (never inside a surrogate pair or a combined character, such as an emoji sequence)
    /// to at most <paramref name="max"/> text elements and <see cref="MaxUtf8Bytes"/> of UTF-8, marking the cut with "…".
    /// </summary>
    public static string Truncate(string text, int max) => Truncate(text, max, MaxUtf8Bytes);

    /// <summary>As <see cref="Truncate(string, int)"/>, to at most <paramref name="maxBytes"/> of UTF-8 (the mark included).</summary>
    public static string Truncate(string text, int max, int maxBytes)
    {
        if (text.Length <= max && text.Length * 3 <= maxBytes)
        {
            return text;
        }

        var elements = StringInfo.GetTextElementEnumerator(text);
        var count = 0;
        var bytes = 0;
        var cutAt = 0;
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            count++;
            bytes += Encoding.UTF8.GetByteCount(element);
            if (count > max || bytes > maxBytes)
            {
                return text[..cutAt] + Ellipsis;
            }

            // Where to cut should a later element not fit: leave room for the mark.
            if (count <= max - 1 && bytes <= maxBytes - EllipsisBytes)
            {
                cutAt = elements.ElementIndex + element.Length;
            }
        }

        return text;
    }

    /// <summary>The most UTF-8 bytes of a title or body, whatever its text elements (the providers take about 4 KiB in all).</summary>
    public const int MaxUtf8Bytes = 1_024;

    private const string Ellipsis = "…";
    /// <summary>The UTF-8 length of the mark a cut ends with.</summary>
    public const int EllipsisBytes = 3;
}
