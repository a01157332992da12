namespace AppMsg.Directory;

/// <summary>
/// One login token, keyed by the lower-case hex SHA-256 of the token (the token itself is never
/// stored). Edges and the HTTP API validate device credentials here.
/// </summary>
public interface IAuthTokenGrain : IGrainWithStringKey
{
    /// <summary>Records the token for a user; called by the user's grain when it issues one.</summary>
    Task InitializeAsync(TokenPrincipal principal);

    /// <summary>The token's owner, or null when the token is unknown, expired or revoked (an expired token's row is deleted).</summary>
    Task<TokenPrincipal?> ValidateAsync();

    /// <summary>
    /// As <see cref="ValidateAsync"/>, for a device's REGISTER: an activation made only for this check ends right after
    /// it, so idle devices keep no token in silo memory (the token is read again at the next REGISTER).
    /// </summary>
    Task<TokenPrincipal?> ValidateForSessionAsync();

    /// <summary>Revokes the token: its stored row is deleted.</summary>
    Task RevokeAsync();
}
