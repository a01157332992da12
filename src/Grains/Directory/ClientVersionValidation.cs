using AppMsg.Directory;

namespace AppMsg.Grains.Directory;

/// <summary>Field rules for client versions.</summary>
internal static class ClientVersionValidation
{
    public const int MaxVersionNameLength = 64;
    public const int MaxDescriptionLength = 2000;

    /// <summary>A checked, normalised version, published now.</summary>
    public static ClientVersionInfo Published(NewClientVersion version)
    {
        var terminalType = TerminalType(version.TerminalType);
        if (version.VersionCode <= 0)
        {
            throw AppMsgException.Invalid("versionCode", "versionCode must be a positive integer");
        }

        var name = Names.Validate("versionName", version.VersionName, MaxVersionNameLength);
        var description = version.Description?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength)
        {
            throw AppMsgException.Invalid("description", $"description must be at most {MaxDescriptionLength} characters");
        }

        var url = UserValidation.Url("downloadUrl", version.DownloadUrl)
            ?? throw AppMsgException.Invalid("downloadUrl", "downloadUrl is required");
        return new ClientVersionInfo(terminalType, version.VersionCode, name, description, url, Timestamps.Now());
    }

    /// <summary>A single terminal type bit: 1 Android, 2 iOS, 4 WinPhone, 8 Web, 16 PC.</summary>
    public static int TerminalType(int value) =>
        value is 1 or 2 or 4 or 8 or 16
            ? value
            : throw AppMsgException.Invalid("terminalType", "terminalType must be one of 1 (Android), 2 (iOS), 4 (WinPhone), 8 (Web), 16 (PC)");
}
