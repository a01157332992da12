using AppMsg.Common;

namespace AppMsg.Directory;

/// <summary>
/// Lists and searches over the directory, served from SQL tables that the directory grains keep in
/// step with their state. A stateless worker: call it with key 0.
/// </summary>
public interface IDirectoryQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The id of the user with this username in the tenant (case-insensitive), or null.</summary>
    Task<string?> FindUserIdAsync(string tenantId, string username);

    /// <summary>Users of a tenant whose username starts with <paramref name="usernamePrefix"/> (case-insensitive), by username.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="usernamePrefix">A prefix, or null for all users.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<UserSummary>> ListUsersAsync(string tenantId, string? usernamePrefix, string? after, int limit);
}
