namespace AppMsg.Directory;

/// <summary>A client version to publish.</summary>
/// <param name="TerminalType">One terminal type bit: 1 Android, 2 iOS, 4 WinPhone, 8 Web, 16 PC.</param>
/// <param name="VersionCode">A positive number, unique per terminal type in the app; higher is newer.</param>
/// <param name="VersionName">1 to 64 characters.</param>
/// <param name="DownloadUrl">An absolute http(s) URL of at most 2048 characters.</param>
/// <param name="Description">At most 2000 characters, or null.</param>
[GenerateSerializer, Immutable]
public sealed record NewClientVersion(
    [property: Id(0)] int TerminalType,
    [property: Id(1)] int VersionCode,
    [property: Id(2)] string VersionName,
    [property: Id(3)] string DownloadUrl,
    [property: Id(4)] string? Description = null);
