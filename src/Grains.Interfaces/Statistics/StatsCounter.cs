namespace AppMsg.Statistics;

/// <summary>What statistics count, per tenant, app and hour. The order is the order of the counts in <see cref="StatsRow"/>.</summary>
public enum StatsCounter
{
    /// <summary>Messages accepted to a user's inbox.</summary>
    MessagesToUser = 0,

    /// <summary>Messages accepted to a qun.</summary>
    MessagesToQun = 1,

    /// <summary>Messages accepted to an org (and its sub-orgs).</summary>
    MessagesToOrg = 2,

    /// <summary>Messages accepted to a whole tenant.</summary>
    MessagesToTenant = 3,

    /// <summary>Messages to an app: its broadcasts, and users' messages up to its backends.</summary>
    MessagesToApp = 4,

    /// <summary>Messages accepted to one session.</summary>
    MessagesToSession = 5,

    /// <summary>UTF-8 bytes of the content of accepted messages.</summary>
    BytesStored = 6,

    /// <summary>PUSH/IM frames sent to terminals as messages arrived.</summary>
    DeliveriesLive = 7,

    /// <summary>PUSH/IM frames sent by replay (REGISTER, SYNC).</summary>
    DeliveriesReplayed = 8,

    /// <summary>PUSHRESP/IMRESP from terminals.</summary>
    Acknowledgements = 9,

    /// <summary>Authenticated API requests (not the operator's).</summary>
    ApiCalls = 10,

    /// <summary>Requests, messages and REGISTERs refused by a quota.</summary>
    QuotaRefusals = 11,

    /// <summary>The most device sessions at once in the cluster (a maximum, not a sum).</summary>
    PeakConnections = 12,

    /// <summary>Notifications a push service accepted.</summary>
    NotificationsSent = 13,

    /// <summary>Notifications refused or not answered after the retries.</summary>
    NotificationsFailed = 14,

    /// <summary>Notifications whose device token the push service called dead (the registration is removed).</summary>
    NotificationsPruned = 15,
}
