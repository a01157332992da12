using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AppMsg.Grains.Notifications;

namespace AppMsg.Notifications.Tests;

/// <summary>The aes128gcm encryption against the example of RFC 8291 (section 5 and appendix A).</summary>
public sealed class WebPushEncryptionTests
{
    private const string Plaintext = "When I grow up, I want to be a watermelon";
    private const string AuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
    private const string UserAgentPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private const string UserAgentPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private const string ServerPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private const string ServerPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private const string Salt = "DGv6ra1nlYgDCS1FRnbzlw";
    private const string Body = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    [Fact]
    public void The_rfc_8291_example_encrypts_byte_for_byte()
    {
        using var server = Key(ServerPublic, ServerPrivate);

        var body = WebPushEncryption.Encrypt(Encoding.UTF8.GetBytes(Plaintext), Base64Url.DecodeFromChars(UserAgentPublic), Base64Url.DecodeFromChars(AuthSecret), server, Base64Url.DecodeFromChars(Salt));

        Assert.Equal(Body, Base64Url.EncodeToString(body));
    }

    [Fact]
    public void A_fresh_encryption_decrypts_with_the_subscriptions_key_and_not_with_another_auth_secret()
    {
        using var userAgent = Key(UserAgentPublic, UserAgentPrivate);
        var auth = Base64Url.DecodeFromChars(AuthSecret);

        var first = WebPushEncryption.Encrypt(Encoding.UTF8.GetBytes("{\"title\":\"hi\"}"), Base64Url.DecodeFromChars(UserAgentPublic), auth);
        var second = WebPushEncryption.Encrypt(Encoding.UTF8.GetBytes("{\"title\":\"hi\"}"), Base64Url.DecodeFromChars(UserAgentPublic), auth);

        Assert.NotEqual(first, second);
        Assert.Equal("{\"title\":\"hi\"}", Encoding.UTF8.GetString(FakeProviders.Decrypt(first, userAgent, auth)));
        Assert.ThrowsAny<CryptographicException>(() => FakeProviders.Decrypt(first, userAgent, RandomNumberGenerator.GetBytes(16)));
        Assert.Equal(Plaintext, Encoding.UTF8.GetString(FakeProviders.Decrypt(Base64Url.DecodeFromChars(Body), userAgent, auth)));
    }

    private static ECDiffieHellman Key(string publicPoint, string privateScalar)
    {
        var parameters = PushKeys.PublicPoint(Base64Url.DecodeFromChars(publicPoint));
        parameters.D = Base64Url.DecodeFromChars(privateScalar);
        return ECDiffieHellman.Create(parameters);
    }
}
