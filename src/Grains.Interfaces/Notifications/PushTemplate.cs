namespace AppMsg.Notifications;

/// <summary>
/// An app's title and body for its users' offline notifications (<c>pushTemplate</c> on <c>PATCH /v1/apps/{appId}</c>).
/// Placeholders: <c>{sender}</c> (the sender's display name, or the app's name), <c>{qun}</c> (the qun's name; empty
/// outside quns), <c>{content}</c> (the text, or a label such as <c>[Image]</c>). A missing part keeps the default:
/// title <c>{sender}</c>, body <c>{content}</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PushTemplate(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] string? Body = null)
{
    /// <summary>The longest title template, in characters.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The longest body template, in characters.</summary>
    public const int MaxBodyLength = 1_000;

    /// <summary>What a template may contain in braces.</summary>
    public static readonly string[] Placeholders = ["{sender}", "{qun}", "{content}"];

    /// <summary>The template, checked: <c>validation_failed</c> naming the field for one too long or with an unknown placeholder.</summary>
    public PushTemplate Validated()
    {
        Check("pushTemplate.title", Title, MaxTitleLength);
        Check("pushTemplate.body", Body, MaxBodyLength);
        return this;
    }

    private static void Check(string field, string? text, int max)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > max)
        {
            throw AppMsgException.Invalid(field, $"{field} must be at most {max} characters");
        }

        var rest = text;
        foreach (var placeholder in Placeholders)
        {
            rest = rest.Replace(placeholder, "", StringComparison.Ordinal);
        }

        if (rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal))
        {
            throw AppMsgException.Invalid(field, $"{field} may use only the placeholders {string.Join(", ", Placeholders)}");
        }
    }
}
