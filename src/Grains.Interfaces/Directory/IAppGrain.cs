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

    /// <summary>True when <paramref name="secret"/> is the app's current secret.</summary>
    Task<bool> VerifySecretAsync(string secret);

    /// <summary>Replaces the secret; the old one stops working at once.</summary>
    Task<AppCredentials> RotateSecretAsync();
}
