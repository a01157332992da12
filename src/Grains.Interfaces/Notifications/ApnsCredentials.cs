namespace AppMsg.Notifications;

/// <summary>An app's APNs token-based authentication key.</summary>
/// <param name="KeyId">The key's 10-character id from the Apple developer account.</param>
/// <param name="TeamId">The 10-character team id.</param>
/// <param name="Topic">The app's bundle id (<c>apns-topic</c>).</param>
/// <param name="PrivateKey">The <c>.p8</c> file's text: a PEM PKCS#8 P-256 private key.</param>
/// <param name="Sandbox">Send to the development environment unless a device says otherwise.</param>
/// <param name="Endpoint">Overrides the provider's base URL (tests, proxies).</param>
[GenerateSerializer, Immutable]
public sealed record ApnsCredentials(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string TeamId,
    [property: Id(2)] string Topic,
    [property: Id(3)] string PrivateKey,
    [property: Id(4)] bool Sandbox = false,
    [property: Id(5)] string? Endpoint = null);
