using AppMsg.Directory;
using AppMsg.Messaging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Messaging;

/// <summary>A terminal's reading list, built by <see cref="ReadingLists"/> from the user grain's memberships and mutes.</summary>
[StatelessWorker]
public sealed class ReadingListGrain(ReadingLists lists) : Grain, IReadingListGrain
{
    public async Task<ReadingList> GetAsync(string? userId, string tenantId)
    {
        if (userId is null)
        {
            return ReadingLists.Anonymous(tenantId);
        }

        var (memberships, muted) = await GrainFactory.GetGrain<IUserGrain>(userId).GetReadingAsync();
        return await lists.OfUserAsync(userId, tenantId, memberships, muted);
    }
}
