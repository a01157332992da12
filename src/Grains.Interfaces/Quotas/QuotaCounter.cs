namespace AppMsg.Quotas;

/// <summary>What an edge takes allowances of from a quota's owner grain.</summary>
public enum QuotaCounter
{
    /// <summary>Authenticated API requests of the UTC day.</summary>
    ApiCalls = 0,

    /// <summary>Stored messages of the UTC day.</summary>
    Messages = 1,

    /// <summary>Tokens of the messages-per-second bucket.</summary>
    MessageRate = 2,

    /// <summary>Device sessions open now.</summary>
    Connections = 3,
}
