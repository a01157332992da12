using AppMsg.Common;
using AppMsg.Directory;
using Orleans.Concurrency;

namespace AppMsg.Grains.Directory;

[StatelessWorker]
public sealed class DirectoryQueryGrain(UserIndex users) : Grain, IDirectoryQueryGrain
{
    public const int MaxPageSize = 500;

    public Task<string?> FindUserIdAsync(string tenantId, string username) => users.FindAsync(tenantId, username ?? "");

    public Task<Page<UserSummary>> ListUsersAsync(string tenantId, string? usernamePrefix, string? after, int limit) =>
        users.ListAsync(tenantId, usernamePrefix, after, PageSize(limit));

    /// <summary>Checks a requested page size.</summary>
    public static int PageSize(int limit) => limit is >= 1 and <= MaxPageSize
        ? limit
        : throw AppMsgException.Invalid("limit", $"limit must be 1 to {MaxPageSize}");
}
