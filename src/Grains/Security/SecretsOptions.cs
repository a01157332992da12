namespace AppMsg.Grains.Security;

/// <summary>The keys that encrypt stored secrets (<c>APPMSG_SECRETS_KEY</c>, <c>APPMSG_SECRETS_KEY_PREVIOUS</c>): 32 bytes each.</summary>
public sealed class SecretsOptions
{
    /// <summary>The key new secrets are encrypted under; null: secrets cannot be stored.</summary>
    public byte[]? CurrentKey { get; set; }

    /// <summary>The key before the last rotation: still decrypts, never encrypts.</summary>
    public byte[]? PreviousKey { get; set; }
}
