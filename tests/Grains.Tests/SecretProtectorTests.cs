using System.Security.Cryptography;
using AppMsg.Grains.Security;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Tests;

public sealed class SecretProtectorTests
{
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] KeyB = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_protected_secret_is_not_in_clear_names_its_key_and_round_trips()
    {
        var protector = Protector(KeyA);
        var stored = protector.Protect("the-secret", "webhook/1");
        Assert.DoesNotContain("the-secret", stored, StringComparison.Ordinal);
        Assert.StartsWith($"aesgcm1:{SecretProtector.KeyId(KeyA)}:", stored, StringComparison.Ordinal);
        Assert.NotEqual(stored, protector.Protect("the-secret", "webhook/1"));
        Assert.Equal("the-secret", protector.Unprotect(stored, "webhook/1"));
        Assert.True(protector.IsCurrent(stored));
    }

    [Fact]
    public void After_a_rotation_the_previous_key_still_decrypts_and_the_value_is_no_longer_current()
    {
        var stored = Protector(KeyA).Protect("the-secret", "webhook/1");
        var rotated = Protector(KeyB, previous: KeyA);
        Assert.Equal("the-secret", rotated.Unprotect(stored, "webhook/1"));
        Assert.False(rotated.IsCurrent(stored));
        Assert.True(rotated.IsCurrent(rotated.Protect("the-secret", "webhook/1")));

        // Without the previous key the value is unreadable: a clear error, not a wrong secret.
        Assert.Equal(ErrorCodes.Unavailable, Assert.Throws<AppMsgException>(() => Protector(KeyB).Unprotect(stored, "webhook/1")).Code);
    }

    [Fact]
    public void A_value_copied_to_another_purpose_or_altered_does_not_decrypt()
    {
        var protector = Protector(KeyA);
        var stored = protector.Protect("the-secret", "webhook/1");
        Assert.Equal(ErrorCodes.Unavailable, Assert.Throws<AppMsgException>(() => protector.Unprotect(stored, "webhook/2")).Code);
        var bytes = Convert.FromBase64String(stored.Split(':')[2]);
        bytes[^1] ^= 1;
        var altered = $"aesgcm1:{SecretProtector.KeyId(KeyA)}:{Convert.ToBase64String(bytes)}";
        Assert.Equal(ErrorCodes.Unavailable, Assert.Throws<AppMsgException>(() => protector.Unprotect(altered, "webhook/1")).Code);
    }

    [Fact]
    public void Without_a_key_nothing_is_stored_and_secrets_stored_in_clear_earlier_are_read_as_they_are()
    {
        var protector = Protector(null);
        Assert.False(protector.CanProtect);
        Assert.Equal(ErrorCodes.Unavailable, Assert.Throws<AppMsgException>(() => protector.Protect("the-secret", "webhook/1")).Code);
        Assert.Equal("LegacyClearSecret0123", protector.Unprotect("LegacyClearSecret0123", "webhook/1"));
        Assert.False(Protector(KeyA).IsCurrent("LegacyClearSecret0123"));
    }

    private static SecretProtector Protector(byte[]? current, byte[]? previous = null) =>
        new(Options.Create(new SecretsOptions { CurrentKey = current, PreviousKey = previous }));
}
