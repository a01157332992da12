namespace AppMsg.Directory;

/// <summary>
/// A user: profile, credentials, login tokens and memberships (quns and orgs). Keyed by the user id.
/// Backends on the Orleans client are trusted: access rules are the HTTP API's.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user under this grain's id.</summary>
    /// <exception cref="AppMsgException"><c>conflict</c> when the username is taken in the tenant or the user exists;
    /// <c>not_found</c> for an unknown tenant; <c>validation_failed</c> for bad fields.</exception>
    Task<UserInfo> CreateAsync(NewUser user);

    /// <summary>The user, or null when no user has this id.</summary>
    Task<UserInfo?> GetAsync();

    /// <summary>Changes display name and avatar.</summary>
    Task<UserInfo> UpdateProfileAsync(UserProfileUpdate update);

    /// <summary>Enables or disables the user; disabling revokes every token.</summary>
    Task<UserInfo> SetStatusAsync(UserStatus status);

    /// <summary>Replaces the password; every existing token is revoked.</summary>
    Task ChangePasswordAsync(string newPassword);

    /// <summary>Checks a password; false for a wrong password or a disabled user.</summary>
    Task<bool> VerifyPasswordAsync(string password);

    /// <summary>Issues a login token valid for the configured lifetime (default 30 days).</summary>
    /// <exception cref="AppMsgException"><c>forbidden</c> when the user is disabled.</exception>
    Task<IssuedToken> IssueTokenAsync(int terminalType);

    /// <summary>Revokes one token of this user; unknown tokens are ignored.</summary>
    Task RevokeTokenAsync(string token);

    /// <summary>Revokes every token of this user.</summary>
    Task RevokeAllTokensAsync();

    /// <summary>Records that the user joined a group timeline (<c>id@qun</c>, <c>id@org</c>); called by the group's grain.</summary>
    Task AddMembershipAsync(string groupAddress);

    /// <summary>Records that the user left a group timeline; called by the group's grain.</summary>
    Task RemoveMembershipAsync(string groupAddress);

    /// <summary>The addresses of the groups the user belongs to.</summary>
    Task<IReadOnlyList<string>> GetMembershipsAsync();

    /// <summary>
    /// Mutes or unmutes a sender (<c>id@user</c> or <c>id@app</c>): a muted sender's direct messages to this user are
    /// refused (<c>forbidden</c>), and a muted app's broadcasts are not delivered to this user's terminals.
    /// </summary>
    /// <exception cref="AppMsgException"><c>not_found</c> for an unknown user; <c>validation_failed</c> for another kind of address.</exception>
    Task SetMutedAsync(string sender, bool muted);

    /// <summary>
    /// What a terminal's reading list needs (memberships and muted senders) in one call, for a REGISTER or SYNC: an
    /// activation made only for such reads ends right after, so idle devices keep no user in silo memory.
    /// </summary>
    Task<UserReading> GetReadingAsync();

    /// <summary>The senders this user muted, in order.</summary>
    Task<IReadOnlyList<string>> GetMutedAsync();

    /// <summary>True when this user muted <paramref name="sender"/>.</summary>
    Task<bool> IsMutedAsync(string sender);

    /// <summary>
    /// True when a direct message from <paramref name="sender"/> may go to this user's inbox: the sender is not
    /// muted and, for a user, the tenant's <see cref="TenantSettings.DirectMessages"/> policy allows it.
    /// </summary>
    Task<bool> AcceptsFromAsync(string sender);
}
