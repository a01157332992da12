using System.Text;
using System.Text.Json;
using AppMsg.Grains.Notifications;

namespace AppMsg.Notifications.Tests;

/// <summary>A notification whose sender's data would take the payload past a provider's limit is made to fit (PayloadLimits).</summary>
[Collection(NotificationCollection.Name)]
public sealed class PayloadSizeTests(NotificationSystem system)
{
    [Fact]
    public async Task A_message_with_twenty_kilobytes_of_custom_data_reaches_apns_fcm_and_web_push_within_their_limits()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        await system.SetUpFcmAsync(appId, credential);
        var apnsToken = await system.RegisterIosAsync(userId, appId, credential);
        var fcmToken = await system.RegisterAndroidAsync(userId, appId, credential);
        var subscription = await system.RegisterBrowserAsync(userId, appId, credential);

        // 20 fields of 1,000 characters (the most the API takes), and a small one that always fits.
        var data = Enumerable.Range(0, 20).ToDictionary(i => $"field{i:D2}", i => new string((char)('a' + i), 1_000));
        data["small"] = "kept";
        data.Remove("field19");
        var messageId = await system.SendAsync($"{userId}@user", "big data", credential, new { notification = new { body = "big data", data } });

        var apns = Assert.Single(await system.Providers.WaitForAsync(apnsToken, 1));
        var fcm = Assert.Single(await system.Providers.WaitForAsync(fcmToken, 1));
        var webPush = Assert.Single(await system.Providers.WaitForAsync(subscription, 1));
        Assert.All(new[] { apns, fcm, webPush }, r => Assert.True(r.Valid, $"{r.Provider}: within its limit and its checks ({string.Join("; ", system.Providers.Problems)})"));
        foreach (var fields in new[] { apns.Body, fcm.Body.GetProperty("message").GetProperty("data"), webPush.Body.GetProperty("data") })
        {
            Assert.Equal(messageId, fields.GetProperty("messageId").GetString());
            Assert.Equal($"{userId}@user", fields.GetProperty("timeline").GetString());
            Assert.True(fields.TryGetProperty("seq", out _));
            Assert.Equal("kept", fields.GetProperty("small").GetString());
            var kept = fields.EnumerateObject().Count(f => f.Name.StartsWith("field", StringComparison.Ordinal));
            Assert.InRange(kept, 1, 3);
        }

        Assert.Equal("big data", apns.Body.GetProperty("aps").GetProperty("alert").GetProperty("body").GetString());
    }

    [Fact]
    public void The_largest_custom_fields_go_first_and_the_message_fields_stay()
    {
        var notification = Notification(data: [new("small", "s"), new("large", new string('l', 2_500)), new("medium", new string('m', 1_500)), new("tiny", "t")]);

        var payload = ApnsSender.FittedPayload(notification);

        Assert.InRange(payload.Length, 1, PayloadLimits.Apns);
        using var document = JsonDocument.Parse(payload);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { "aps", "messageId", "timeline", "seq", "small", "medium", "tiny" }, names);
    }

    [Fact]
    public void Text_that_escapes_long_is_cut_until_every_platform_takes_it()
    {
        // Quotes double when escaped; a sound has no length limit at the API.
        var quotes = new string('"', 1_000);
        var notification = Notification(title: quotes, body: quotes, sound: new string('s', 3_000), data: [new("x", new string('x', 1_000))]);

        Assert.InRange(ApnsSender.FittedPayload(notification).Length, 1, PayloadLimits.Apns);
        Assert.InRange(WebPushSender.FittedPayload(notification).Length, 1, PayloadLimits.WebPush);
        var fcm = FcmSender.Fitted(notification);
        Assert.InRange(FcmSender.Payload(null, fcm, DateTimeOffset.UnixEpoch).Length, 1, PayloadLimits.Fcm);
        Assert.Equal("42", fcm.Data.Single(d => d.Key == "seq").Value);

        // Non-Latin text is written as UTF-8, not as \u escapes: 200 CJK characters take 600 bytes, not 1,200.
        var cjk = Notification(body: new string('语', 200));
        Assert.InRange(ApnsSender.FittedPayload(cjk).Length, 600, 900);
        Assert.Contains(new string('语', 200), Encoding.UTF8.GetString(ApnsSender.FittedPayload(cjk)), StringComparison.Ordinal);
    }

    private static PushNotification Notification(string title = "Ada", string body = "hello", string? sound = null, List<KeyValuePair<string, string>>? data = null) =>
        new(title, body, sound,
            [new("messageId", "m1"), new("timeline", "7@user"), new("seq", "42"), .. data ?? []],
            "7@user", DateTimeOffset.UtcNow.AddHours(1), HighPriority: false);
}
