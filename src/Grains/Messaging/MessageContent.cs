using System.Text.Json;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// The message types and the content fields each requires (protocol section 3). Media types (image, voice, video,
/// file) carry their bytes either as a <c>url</c> stored elsewhere or as a <c>mediaId</c> from <c>POST /v1/media</c>
/// (docs/media.md); the sizes, duration and name are as the sender states them.
/// </summary>
public static class MessageContent
{
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        "text", "image", "voice", "video", "link", "file", "custom", "notice",
    };

    /// <summary>Parses and checks content against its type; throws <c>validation_failed</c> naming the field.</summary>
    /// <returns>The media id the content references, or null.</returns>
    public static string? Validate(string type, string content, int maxBytes)
    {
        if (!Types.Contains(type ?? ""))
        {
            throw AppMsgException.Invalid("type", "type must be one of text, image, voice, video, link, file, custom, notice");
        }

        if (content is null)
        {
            throw AppMsgException.Invalid("content", "content is required");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(content) > maxBytes)
        {
            throw new AppMsgException(ErrorCodes.TooLarge, $"content must be at most {maxBytes} bytes");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            throw AppMsgException.Invalid("content", "content must be a JSON object");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw AppMsgException.Invalid("content", "content must be a JSON object");
            }

            switch (type)
            {
                case "text" or "notice":
                    RequireString(root, "text");
                    return null;
                case "image":
                    RequirePositive(root, "width");
                    RequirePositive(root, "height");
                    OptionalUrl(root, "thumbUrl");
                    return RequireMedia(root);
                case "voice":
                    RequirePositive(root, "durationMs");
                    return RequireMedia(root);
                case "video":
                    RequirePositive(root, "durationMs");
                    OptionalPositive(root, "width");
                    OptionalPositive(root, "height");
                    OptionalUrl(root, "thumbUrl");
                    return RequireMedia(root);
                case "link":
                    RequireUrl(root, "url");
                    RequireString(root, "title");
                    OptionalUrl(root, "imageUrl");
                    return null;
                case "file":
                    RequireString(root, "name");
                    RequirePositive(root, "size");
                    return RequireMedia(root);
                default:
                    return null;
            }
        }
    }

    /// <summary>A media type's bytes: a <c>mediaId</c> (returned), or else an http(s) <c>url</c>.</summary>
    private static string? RequireMedia(JsonElement root)
    {
        if (root.TryGetProperty("mediaId", out var media) && media.ValueKind != JsonValueKind.Null)
        {
            RequireString(root, "mediaId");
            OptionalUrl(root, "url");
            return media.GetString();
        }

        RequireUrl(root, "url");
        return null;
    }

    private static void OptionalPositive(JsonElement root, string field)
    {
        if (root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            RequirePositive(root, field);
        }
    }

    private static void RequireString(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            throw AppMsgException.Invalid($"content.{field}", $"content.{field} must be a non-empty string");
        }
    }

    private static void RequireUrl(JsonElement root, string field)
    {
        RequireString(root, field);
        CheckUrl(root.GetProperty(field), field);
    }

    private static void OptionalUrl(JsonElement root, string field)
    {
        if (root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                throw AppMsgException.Invalid($"content.{field}", $"content.{field} must be a URL");
            }

            CheckUrl(value, field);
        }
    }

    private static void CheckUrl(JsonElement value, string field)
    {
        if (!Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw AppMsgException.Invalid($"content.{field}", $"content.{field} must be an absolute http or https URL");
        }
    }

    private static void RequirePositive(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || n <= 0)
        {
            throw AppMsgException.Invalid($"content.{field}", $"content.{field} must be a positive whole number");
        }
    }
}
