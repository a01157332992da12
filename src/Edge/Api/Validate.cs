namespace AppMsg.Edge.Api;

/// <summary>Checks of request fields that the grains cannot make (ids and required fields).</summary>
public static class Validate
{
    /// <summary>A required string field.</summary>
    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw AppMsgException.Invalid(field, $"{field} is required") : value;

    /// <summary>
    /// Free text from the query string or the body: PostgreSQL text cannot hold U+0000, so a value with one is refused
    /// here (400) instead of failing in storage.
    /// </summary>
    public static string? Text(string? value, string field) =>
        value is not null && !IsStorableText(value) ? throw AppMsgException.Invalid(field, $"{field} must not contain U+0000") : value;

    /// <summary>The one rule for text the API accepts: no U+0000 (see <see cref="Text"/>).</summary>
    public static bool IsStorableText(string value) => !value.Contains('\0', StringComparison.Ordinal);

    /// <summary>An id from the URL or the body: an id of the wrong form cannot exist, so it is a 404.</summary>
    public static string Id(string? id, string what) =>
        Ids.IsValid(id) ? id! : throw AppMsgException.NotFound(what);

    /// <summary>A single terminal type bit: 1 Android, 2 iOS, 4 WinPhone, 8 Web, 16 PC.</summary>
    public static int TerminalType(int? value, string field = "terminalType") =>
        value is 1 or 2 or 4 or 8 or 16 ? value.Value : throw AppMsgException.Invalid(field, $"{field} must be one of 1 (Android), 2 (iOS), 4 (WinPhone), 8 (Web), 16 (PC)");

    /// <summary>A page size, default 50.</summary>
    public static int Limit(int? limit) =>
        limit is null ? 50 : limit is >= 1 and <= 500 ? limit.Value : throw AppMsgException.Invalid("limit", "limit must be 1 to 500");
}
