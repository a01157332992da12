using AppMsg.Hosting;
using AppMsg.Silo;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Silo.Tests;

public sealed class SiloSettingsTests
{
    [Fact]
    public void Security_settings_have_their_documented_defaults()
    {
        var settings = SiloSettings.FromConfiguration(Configuration());
        Assert.Equal(600_000, settings.PasswordIterations);
        Assert.Equal(5, settings.LoginFreeAttemptsPerUser);
        Assert.Equal(30, settings.LoginFreeAttemptsPerAddress);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.LoginFirstLockout);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.LoginMaxLockout);
        Assert.Null(settings.SecretsKey);
    }

    [Fact]
    public void The_secrets_keys_are_read_as_base64_of_32_bytes_and_anything_else_refuses_to_start()
    {
        var key = new byte[32];
        key[0] = 7;
        var settings = SiloSettings.FromConfiguration(Configuration(("APPMSG_SECRETS_KEY", Convert.ToBase64String(key)), ("APPMSG_SECRETS_KEY_PREVIOUS", Convert.ToBase64String(new byte[32]))));
        Assert.Equal(key, settings.SecretsKey);
        Assert.Equal(new byte[32], settings.SecretsKeyPrevious);

        Assert.Throws<StartupException>(() => SiloSettings.FromConfiguration(Configuration(("APPMSG_SECRETS_KEY", Convert.ToBase64String(new byte[16])))));
        Assert.Throws<StartupException>(() => SiloSettings.FromConfiguration(Configuration(("APPMSG_SECRETS_KEY", "not base64!"))));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(
            values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))
                .Append(new KeyValuePair<string, string?>("ConnectionStrings:AppMsg", "Host=127.0.0.1"))).Build();
}
