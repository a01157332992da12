namespace AppMsg.Grains.Notifications;

/// <summary>What a provider made of one notification.</summary>
public enum SendStatus
{
    /// <summary>Accepted by the provider.</summary>
    Sent,

    /// <summary>The device token is dead: the registration is removed.</summary>
    Unregistered,

    /// <summary>Overload, a server error or no answer: tried again later.</summary>
    Retry,

    /// <summary>Refused for good (bad request, bad credentials, no credentials).</summary>
    Failed,
}

/// <summary>A provider's answer: the status, a short reason for counting, and the wait the provider asked for.</summary>
public readonly record struct SendResult(SendStatus Status, string Reason, TimeSpan? RetryAfter = null)
{
    public static readonly SendResult Sent = new(SendStatus.Sent, "sent");

    public static SendResult Unregistered(string reason) => new(SendStatus.Unregistered, reason);

    public static SendResult Failed(string reason) => new(SendStatus.Failed, reason);

    /// <summary>A transient failure: the provider's <c>Retry-After</c>, if any, is honoured.</summary>
    public static SendResult Retry(string reason, HttpResponseMessage? response = null) => new(SendStatus.Retry, reason, RetryAfterOf(response));

    private static TimeSpan? RetryAfterOf(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }
}
