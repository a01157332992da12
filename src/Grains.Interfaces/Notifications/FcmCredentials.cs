namespace AppMsg.Notifications;

/// <summary>An app's FCM HTTP v1 credentials.</summary>
/// <param name="ServiceAccountJson">The service account's JSON key file (needs project_id, client_email, private_key, token_uri).</param>
/// <param name="Endpoint">Overrides the provider's base URL (tests, proxies).</param>
[GenerateSerializer, Immutable]
public sealed record FcmCredentials(
    [property: Id(0)] string ServiceAccountJson,
    [property: Id(1)] string? Endpoint = null);
