namespace AppMsg.Grains.Notifications;

/// <summary>The FCM credentials as stored (encrypted): the service account's fields sending needs, and the endpoint override.</summary>
public sealed record StoredFcm(string ProjectId, string ClientEmail, string PrivateKey, string TokenUri, string? Endpoint);

/// <summary>An app's VAPID key pair as stored (encrypted): the private scalar and the uncompressed public point, base64url.</summary>
public sealed record StoredVapid(string PrivateKey, string PublicKey);

/// <summary>Where each platform's credentials are stored and what their encryption is bound to.</summary>
public static class CredentialPurposes
{
    public static string Of(string platform, string appId) => $"push/{platform}/{appId}";
}
