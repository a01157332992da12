namespace AppMsg.Notifications;

/// <summary>
/// An app's push credentials (keyed by app id). Stored encrypted with <c>APPMSG_SECRETS_KEY</c> and never
/// read back through this interface; the silos' senders read them from the store. The grain also mints the
/// APNs provider token that every silo shares for the app's key.
/// </summary>
public interface IPushCredentialsGrain : IGrainWithStringKey
{
    /// <summary>Stores the APNs key, replacing any earlier one.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> naming the field (a malformed <c>.p8</c>: <c>privateKey</c>);
    /// <c>unavailable</c> when the silo has no secrets key.</exception>
    Task SetApnsAsync(ApnsCredentials credentials);

    /// <summary>Stores the FCM service account, replacing any earlier one.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> naming the field; <c>unavailable</c> when the silo has no secrets key.</exception>
    Task SetFcmAsync(FcmCredentials credentials);

    /// <summary>The app's VAPID public key (uncompressed P-256, base64url), created on first use.</summary>
    Task<string> GetWebPushPublicKeyAsync();

    /// <summary>
    /// The ES256 provider token for the app's APNs key, the same for every silo: a new one is made when the
    /// current one is 40 minutes old (Apple refuses refreshes more often than every 20 minutes and tokens
    /// older than an hour). <paramref name="rejected"/> names a token APNs refused as expired, to replace early
    /// (but never one younger than 20 minutes). Null when the app has no APNs key.
    /// </summary>
    Task<string?> GetApnsProviderTokenAsync(string? rejected = null);
}
