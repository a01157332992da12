namespace AppMsg.Quotas;

/// <summary>
/// The limits an operator sets on a tenant or an app; -1 is unlimited. A tenant's limits also cap the sum of
/// its apps' and users' use.
/// </summary>
/// <param name="ApiCallsPerDay">Authenticated HTTP API requests per UTC day.</param>
/// <param name="MessagesPerDay">Stored messages (one per target address) per UTC day.</param>
/// <param name="MessagesPerSecond">Sustained rate of stored messages, cluster-wide.</param>
/// <param name="MessagesBurst">How many messages may go at once above the sustained rate; -1 means one second's worth.</param>
/// <param name="RecipientsPerMessage">Target addresses in one send.</param>
/// <param name="MaxTtlSeconds">The longest TTL a message may ask for; also the TTL of one that names none.</param>
/// <param name="Connections">Device sessions at once, cluster-wide.</param>
/// <param name="MediaBytes">Stored media bytes of a tenant (enforced for tenants at upload; an app's is kept and shown only).</param>
[GenerateSerializer, Immutable]
public sealed record QuotaLimits(
    [property: Id(0)] long ApiCallsPerDay = -1,
    [property: Id(1)] long MessagesPerDay = -1,
    [property: Id(2)] long MessagesPerSecond = -1,
    [property: Id(3)] long MessagesBurst = -1,
    [property: Id(4)] long RecipientsPerMessage = -1,
    [property: Id(5)] long MaxTtlSeconds = -1,
    [property: Id(6)] long Connections = -1,
    [property: Id(7)] long MediaBytes = -1)
{
    /// <summary>The value that means "no limit".</summary>
    public const long Unlimited = -1;

    /// <summary>No limit at all: what a tenant or app has until the operator sets one.</summary>
    public static readonly QuotaLimits None = new();

    /// <summary>True when nothing is limited (the edges then make no quota calls for the owner).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsUnlimited => this == None;

    /// <summary>The burst the rate allows: <see cref="MessagesBurst"/>, or one second's worth when it is unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long EffectiveBurst => MessagesBurst >= 0 ? Math.Max(MessagesBurst, MessagesPerSecond) : MessagesPerSecond;

    /// <summary>The daily limit of a counter, or the rate or connection limit.</summary>
    public long Of(QuotaCounter counter) => counter switch
    {
        QuotaCounter.ApiCalls => ApiCallsPerDay,
        QuotaCounter.Messages => MessagesPerDay,
        QuotaCounter.MessageRate => MessagesPerSecond,
        QuotaCounter.Connections => Connections,
        _ => Unlimited,
    };

    /// <summary>Every field -1 or at least 0; <c>validation_failed</c> naming each field that is not.</summary>
    public void Validate()
    {
        Dictionary<string, string[]>? errors = null;
        Check(ApiCallsPerDay, "apiCallsPerDay");
        Check(MessagesPerDay, "messagesPerDay");
        Check(MessagesPerSecond, "messagesPerSecond");
        Check(MessagesBurst, "messagesBurst");
        Check(RecipientsPerMessage, "recipientsPerMessage");
        Check(MaxTtlSeconds, "maxTtlSeconds");
        Check(Connections, "connections");
        Check(MediaBytes, "mediaBytes");
        if (errors is not null)
        {
            throw new AppMsgException(ErrorCodes.ValidationFailed, "quota limits are -1 (unlimited) or a number from 0", errors);
        }

        void Check(long value, string field)
        {
            if (value < Unlimited)
            {
                (errors ??= [])[field] = [$"{field} must be -1 (unlimited) or a number from 0"];
            }
        }
    }
}
