namespace AppMsg.Grains.Notifications;

/// <summary>What FCM sending needs from a service account's JSON key file.</summary>
public sealed record ServiceAccount(string ProjectId, string ClientEmail, string PrivateKey, string TokenUri);
