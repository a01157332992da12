namespace AppMsg.Directory;

/// <summary>
/// The client versions an app publishes for its devices, per terminal type, and the update check
/// devices make. Keyed by the app id. Backends on the Orleans client are trusted: access rules are
/// the HTTP API's.
/// </summary>
public interface IClientVersionsGrain : IGrainWithStringKey
{
    /// <summary>Publishes a version.</summary>
    /// <exception cref="AppMsgException"><c>not_found</c> for an unknown app; <c>conflict</c> when the terminal type
    /// already has this version code; <c>validation_failed</c> for bad fields; <c>over_quota</c> when the app has the
    /// maximum number of versions.</exception>
    Task<ClientVersionInfo> PublishAsync(NewClientVersion version);

    /// <summary>The published versions, by terminal type then newest first.</summary>
    /// <param name="terminalType">Only this terminal type, or null for all.</param>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for a terminal type that is not a single bit.</exception>
    Task<IReadOnlyList<ClientVersionInfo>> ListAsync(int? terminalType = null);

    /// <summary>Withdraws a version; false when it was not published.</summary>
    Task<bool> DeleteAsync(int terminalType, int versionCode);

    /// <summary>Whether a device of <paramref name="terminalType"/> running <paramref name="versionCode"/> should update.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for a bad terminal type or a negative version code.</exception>
    Task<ClientUpdateCheck> CheckUpdateAsync(int terminalType, int versionCode);
}
