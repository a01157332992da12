using AppMsg.Directory;
using Orleans.Runtime;
using Orleans.Storage;

namespace AppMsg.Grains.Directory;

public sealed class AuthTokenGrain(
    [PersistentState(AuthTokenGrain.StateName, StorageNames.Default)] IPersistentState<AuthTokenState> state) : Grain, IAuthTokenGrain
{
    /// <summary>The name Orleans stores this grain's state under (<c>graintypestring</c> of its rows).</summary>
    public const string StateName = "authtoken";

    // Whether this activation served anything but REGISTER checks (then it stays, for the HTTP API's next call).
    private bool servedOthers;

    public async Task InitializeAsync(TokenPrincipal principal)
    {
        servedOthers = true;
        if (state.State.Principal is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the token exists");
        }

        state.State.Principal = principal;
        await state.WriteStateAsync();
    }

    public Task<TokenPrincipal?> ValidateAsync()
    {
        servedOthers = true;
        return CheckAsync();
    }

    public async Task<TokenPrincipal?> ValidateForSessionAsync()
    {
        var principal = await CheckAsync();
        if (!servedOthers)
        {
            DeactivateOnIdle();
        }

        return principal;
    }

    private async Task<TokenPrincipal?> CheckAsync()
    {
        var principal = state.State.Principal;
        if (principal is not null && principal.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            // Expired: its stored row goes now (a token is never valid again once expired).
            await RevokeAsync();
            return null;
        }

        return principal is not null && !state.State.Revoked ? principal : null;
    }

    /// <summary>Deletes the token's stored row: a token with no row is not valid (rows of older versions marked revoked go too).</summary>
    public async Task RevokeAsync()
    {
        if (state.State.Principal is null && !state.RecordExists)
        {
            return;
        }

        try
        {
            await state.ClearStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Only ExpiredTokenSweeper deletes a token row behind its grain, and only an expired or revoked one: gone already.
            state.State = new AuthTokenState();
            DeactivateOnIdle();
        }
    }
}
