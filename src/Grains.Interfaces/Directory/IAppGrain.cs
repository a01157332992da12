namespace AppMsg.Directory;

/// <summary>
/// An application of a tenant: its backend credential (<c>appId:secret</c>) and webhook.
/// Keyed by the app id.
/// </summary>
public interface IAppGrain : IGrainWithStringKey
{
    /// <summary>Creates the app; the answer carries the secret, which is stored only hashed.</summary>
    /// <exception cref="AppMsgException"><c>not_found</c> for an unknown tenant; <c>conflict</c> when it exists.</exception>
    Task<AppCredentials> CreateAsync(NewApp app);

    /// <summary>The app, or null.</summary>
    Task<AppInfo?> GetAsync();

    /// <summary>True when <paramref name="secret"/> is the app's current secret, or its previous one within the overlap of the last rotation.</summary>
    Task<bool> VerifySecretAsync(string secret);

    /// <summary>Renames the app and/or changes its webhook (an empty webhook removes it); null fields stay.</summary>
    /// <exception cref="AppMsgException"><c>not_found</c>; <c>validation_failed</c> for a bad name or URL.</exception>
    Task<AppInfo> UpdateAsync(string? name, string? webhookUrl);

    /// <summary>Sets the title and body of the app's offline notifications (<see cref="AppMsg.Notifications.PushTemplate"/>); null or empty parts keep the defaults.</summary>
    /// <exception cref="AppMsgException"><c>not_found</c>; <c>validation_failed</c> naming the field.</exception>
    Task<AppInfo> SetPushTemplateAsync(AppMsg.Notifications.PushTemplate template);

    /// <summary>
    /// Replaces the secret. The old one keeps working for <paramref name="overlap"/> (null: the silo's
    /// <c>APPMSG_APP_SECRET_OVERLAP_SECONDS</c>; zero: it stops at once, as after a leak), so backends can switch
    /// without an outage; a secret older than that stops at this rotation.
    /// </summary>
    /// <exception cref="AppMsgException"><c>not_found</c>; <c>validation_failed</c> for a negative overlap or one over 30 days.</exception>
    Task<AppCredentials> RotateSecretAsync(TimeSpan? overlap);
}
