namespace AppMsg.Grains;

/// <summary>Validation of display names shared by the directory grains.</summary>
internal static class Names
{
    /// <summary>Trims and checks a required name; throws <c>validation_failed</c> on the named field.</summary>
    public static string Validate(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw AppMsgException.Invalid(field, $"{field} must not be empty");
        }

        if (trimmed.Length > maxLength)
        {
            throw AppMsgException.Invalid(field, $"{field} must be at most {maxLength} characters");
        }

        return trimmed;
    }
}
