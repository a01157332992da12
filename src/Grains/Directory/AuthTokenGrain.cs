using AppMsg.Directory;
using Orleans.Runtime;

namespace AppMsg.Grains.Directory;

public sealed class AuthTokenGrain(
    [PersistentState("authtoken", StorageNames.Default)] IPersistentState<AuthTokenState> state) : Grain, IAuthTokenGrain
{
    public async Task InitializeAsync(TokenPrincipal principal)
    {
        if (state.State.Principal is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the token exists");
        }

        state.State.Principal = principal;
        await state.WriteStateAsync();
    }

    public Task<TokenPrincipal?> ValidateAsync()
    {
        var principal = state.State.Principal;
        var valid = principal is not null && !state.State.Revoked && principal.ExpiresAt > DateTimeOffset.UtcNow;
        return Task.FromResult(valid ? principal : null);
    }

    public async Task RevokeAsync()
    {
        if (state.State.Principal is null || state.State.Revoked)
        {
            return;
        }

        state.State.Revoked = true;
        await state.WriteStateAsync();
    }
}
