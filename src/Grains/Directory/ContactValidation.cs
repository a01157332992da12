namespace AppMsg.Grains.Directory;

/// <summary>Field rules for contacts.</summary>
internal static class ContactValidation
{
    public const int MaxRemarkLength = 100;

    /// <summary>Trims a remark; empty is allowed and clears it.</summary>
    public static string Remark(string remark)
    {
        var trimmed = remark.Trim();
        return trimmed.Length <= MaxRemarkLength
            ? trimmed
            : throw AppMsgException.Invalid("remark", $"remark must be at most {MaxRemarkLength} characters");
    }
}
