namespace AppMsg.Directory;

/// <summary>The answer to "is there a newer version than mine?" (appmsgsrv's checkUpdate).</summary>
/// <param name="UpdateAvailable">True when <see cref="Latest"/> is newer than the device's version.</param>
/// <param name="Latest">The newest published version for the terminal type, or null when none is published.</param>
[GenerateSerializer, Immutable]
public sealed record ClientUpdateCheck(
    [property: Id(0)] bool UpdateAvailable,
    [property: Id(1)] ClientVersionInfo? Latest);
