using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// The most each provider takes, and the one rule that makes a notification fit: when its payload is over the
/// platform's limit, the sender's custom data fields go first, the largest first (ties: the later name first), then
/// the sound, then the body is cut shorter, then the title (each cut at a text element, marked with "…"). The message's
/// id, timeline and seq always stay, so the app can fetch the whole message.
/// </summary>
public static class PayloadLimits
{
    /// <summary>APNs: the JSON body (Apple refuses more with 413 PayloadTooLarge).</summary>
    public const int Apns = 4_096;

    /// <summary>FCM: the message as sent, without the device token (FCM takes 4,096 bytes of notification and data).</summary>
    public const int Fcm = 4_096;

    /// <summary>Web Push: the plaintext whose aes128gcm body (86-byte header, delimiter, 16-byte tag) is one 4,096-byte record.</summary>
    public const int WebPush = WebPushEncryption.MaxPlaintext;

    /// <summary>How payloads are written: text as UTF-8, not as \u escapes (a non-Latin body would take up to six times the room).</summary>
    public static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The notification itself if <paramref name="size"/> says it fits <paramref name="limit"/>, else a fitted copy.</summary>
    public static PushNotification Fit(PushNotification notification, int limit, Func<PushNotification, int> size)
    {
        var over = size(notification) - limit;
        if (over <= 0)
        {
            return notification;
        }

        var data = notification.Data.ToList();
        var droppable = data.Where(d => !PushNotification.IsMessageField(d.Key))
            .OrderByDescending(d => Encoding.UTF8.GetByteCount(d.Key) + Encoding.UTF8.GetByteCount(d.Value))
            .ThenByDescending(d => d.Key, StringComparer.Ordinal)
            .ToList();
        var fitted = notification;
        foreach (var field in droppable)
        {
            data.Remove(field);
            over -= Encoding.UTF8.GetByteCount(field.Key) + Encoding.UTF8.GetByteCount(field.Value);
            if (over <= 0)
            {
                fitted = notification with { Data = [.. data] };
                over = size(fitted) - limit;
                if (over <= 0)
                {
                    return fitted;
                }
            }
        }

        fitted = notification with { Data = [.. data] };
        over = size(fitted) - limit;
        if (over > 0 && fitted.Sound is not null)
        {
            fitted = fitted with { Sound = null };
            over = size(fitted) - limit;
        }

        while (over > 0 && fitted.Body.Length > 0)
        {
            fitted = fitted with { Body = Shorter(fitted.Body, over) };
            over = size(fitted) - limit;
        }

        while (over > 0 && fitted.Title.Length > 0)
        {
            fitted = fitted with { Title = Shorter(fitted.Title, over) };
            over = size(fitted) - limit;
        }

        return fitted;
    }

    // At least `over` bytes shorter (escaping may make the payload shrink by less; the caller measures again).
    private static string Shorter(string text, int over)
    {
        var budget = Encoding.UTF8.GetByteCount(text) - over;
        return budget <= NotificationText.EllipsisBytes ? "" : NotificationText.Truncate(text, int.MaxValue, budget);
    }
}
