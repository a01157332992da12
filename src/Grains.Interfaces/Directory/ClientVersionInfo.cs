namespace AppMsg.Directory;

/// <summary>A published client version of an app for one terminal type.</summary>
/// <param name="TerminalType">One terminal type bit: 1 Android, 2 iOS, 4 WinPhone, 8 Web, 16 PC.</param>
/// <param name="VersionCode">The comparable version number (positive); higher is newer.</param>
/// <param name="VersionName">The version as users read it, e.g. <c>2.4.1</c>.</param>
/// <param name="Description">What changed (may be empty).</param>
/// <param name="DownloadUrl">Where the device downloads it: an absolute http(s) URL.</param>
/// <param name="PublishedAt">When it was published.</param>
[GenerateSerializer, Immutable]
public sealed record ClientVersionInfo(
    [property: Id(0)] int TerminalType,
    [property: Id(1)] int VersionCode,
    [property: Id(2)] string VersionName,
    [property: Id(3)] string Description,
    [property: Id(4)] string DownloadUrl,
    [property: Id(5)] DateTimeOffset PublishedAt);
