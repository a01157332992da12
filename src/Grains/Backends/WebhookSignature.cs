using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AppMsg.Grains.Backends;

/// <summary>The webhook signature: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of <c>&lt;timestamp&gt;.&lt;body&gt;</c>.</summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-AppMsg-Timestamp";
    public const string SignatureHeader = "X-AppMsg-Signature";
    public const string DeliveryHeader = "X-AppMsg-Delivery";
    public const string AttemptHeader = "X-AppMsg-Attempt";

    /// <summary>The header value for a body sent at <paramref name="unixSeconds"/>.</summary>
    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
