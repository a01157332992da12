namespace AppMsg.Messaging;

/// <summary>Works out a terminal's reading list (a stateless worker; use key 0).</summary>
public interface IReadingListGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The reading list of a signed-in user, or of an anonymous session of <paramref name="tenantId"/>
    /// when <paramref name="userId"/> is null (its tenant's app broadcasts, live only).
    /// </summary>
    Task<ReadingList> GetAsync(string? userId, string tenantId);
}
