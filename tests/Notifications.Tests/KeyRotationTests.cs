using AppMsg.Grains.Notifications;
using AppMsg.Grains.Security;
using Microsoft.Extensions.Options;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class KeyRotationTests(NotificationSystem system)
{
    [Fact]
    public async Task Credentials_stored_under_the_previous_key_still_send_and_are_encrypted_again_under_the_current_key_on_read()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var token = await system.RegisterIosAsync(userId, appId, credential);

        // The same APNs settings as stored before the rotation: under what is now the previous key.
        var store = system.SiloServices<PushStore>();
        var current = system.SiloServices<SecretProtector>();
        var purpose = CredentialPurposes.Of(PushPlatforms.Apns, appId);
        var plain = current.Unprotect((await store.GetCredentialAsync(appId, PushPlatforms.Apns))!.Value.Secret, purpose);
        var before = new SecretProtector(Options.Create(new SecretsOptions { CurrentKey = NotificationSystem.PreviousSecretsKey }));
        var underPrevious = before.Protect(plain, purpose);
        Assert.False(current.IsCurrent(underPrevious));
        await store.PutCredentialAsync(appId, PushPlatforms.Apns, underPrevious);
        system.SiloServices<PushCredentialCache>().Invalidate(appId);

        await system.SendAsync($"{userId}@user", "after the rotation", credential);

        Assert.True(Assert.Single(await system.Providers.WaitForAsync(token, 1)).Valid);
        var stored = (await store.GetCredentialAsync(appId, PushPlatforms.Apns))!.Value.Secret;
        Assert.True(current.IsCurrent(stored), "re-encrypted under the current key");
        Assert.Equal(plain, current.Unprotect(stored, purpose));
    }
}
