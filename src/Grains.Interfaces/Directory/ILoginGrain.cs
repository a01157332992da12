namespace AppMsg.Directory;

/// <summary>
/// Checks login credentials. Every answer costs exactly one password hash, whether the user name
/// exists or not, so that its timing does not tell which user names exist. A stateless worker: call it with key 0.
/// </summary>
public interface ILoginGrain : IGrainWithIntegerKey
{
    /// <summary>The id of the active user of the tenant with this user name and password, or null.</summary>
    Task<string?> VerifyAsync(string tenantId, string username, string password);
}
