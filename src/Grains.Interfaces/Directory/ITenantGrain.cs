namespace AppMsg.Directory;

/// <summary>
/// A tenant: the unit of isolation. Users, orgs, quns and apps belong to exactly one tenant, and
/// no caller of one tenant reaches another's data. Keyed by the tenant id AppMsg generated.
/// </summary>
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant under this grain's id.</summary>
    /// <exception cref="AppMsgException"><c>conflict</c> when it exists; <c>validation_failed</c> for a bad name.</exception>
    Task<TenantInfo> CreateAsync(string name, TenantSettings? settings = null);

    /// <summary>The tenant, or null when no tenant has this id.</summary>
    Task<TenantInfo?> GetAsync();

    /// <summary>Replaces the tenant's settings (login policy).</summary>
    /// <exception cref="AppMsgException"><c>not_found</c> when the tenant does not exist.</exception>
    Task<TenantInfo> UpdateSettingsAsync(TenantSettings settings);

    /// <summary>
    /// Renames, disables or enables the tenant. Disabling deletes nothing: logins, REGISTERs, the API calls of its apps
    /// and users and messages to it are refused, and its live sessions are kicked (reason 4) at once and again after
    /// <see cref="TenantInfoCache.Freshness"/> (a REGISTER admitted meanwhile by a silo that had not seen it yet).
    /// Enabling restores all of it.
    /// </summary>
    /// <exception cref="AppMsgException"><c>not_found</c> when the tenant does not exist; <c>validation_failed</c> for a bad name.</exception>
    Task<TenantInfo> UpdateAsync(TenantUpdate update);
}
