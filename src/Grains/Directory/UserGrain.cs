using AppMsg.Directory;
using AppMsg.Grains.Security;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AppMsg.Grains.Directory;

public sealed partial class UserGrain(
    [PersistentState(UserGrain.StateName, StorageNames.Default)] IPersistentState<UserState> state,
    UserIndex index,
    PasswordHashing passwords,
    IOptions<DirectoryOptions> options,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IIncomingGrainCallFilter
{
    /// <summary>The name Orleans stores this grain's state under (<c>graintypestring</c> of its rows).</summary>
    public const string StateName = "user";

    private const byte LoggedOut = 4;

    // Whether this activation served anything but reading-list reads (then it stays for what comes next).
    private bool servedOthers;

    private const int MaxMuted = 1_000;

    private UserState User => state.State;

    private string Id => this.GetPrimaryKeyString();

    public async Task<UserInfo> CreateAsync(NewUser user)
    {
        if (User.TenantId is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the user already exists");
        }

        var username = UserValidation.Username(user.Username);
        var password = UserValidation.Password(user.Password);
        var displayName = user.DisplayName is null ? username : Names.Validate("displayName", user.DisplayName, UserValidation.MaxDisplayNameLength);
        var avatarUrl = UserValidation.Url("avatarUrl", user.AvatarUrl);
        await TenantChecks.EnsureExistsAsync(GrainFactory, user.TenantId);

        if (!await index.TryInsertAsync(Id, user.TenantId, username, displayName))
        {
            throw new AppMsgException(ErrorCodes.Conflict, $"the username '{username}' is taken in this tenant",
                new Dictionary<string, string[]> { ["username"] = ["username is taken in this tenant"] });
        }

        User.TenantId = user.TenantId;
        User.Username = username;
        User.DisplayName = displayName;
        User.AvatarUrl = avatarUrl;
        User.Status = UserStatus.Active;
        User.PasswordHash = await passwords.HashAsync(password);
        User.CreatedAt = DateTimeOffset.UtcNow;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new UserState();
            await index.DeleteAsync(Id);
            throw;
        }

        return ToInfo();
    }

    public Task<UserInfo?> GetAsync() => Task.FromResult(User.TenantId is null ? null : ToInfo());

    public async Task<UserInfo> UpdateProfileAsync(UserProfileUpdate update)
    {
        EnsureExists();
        if (update.DisplayName is not null)
        {
            User.DisplayName = Names.Validate("displayName", update.DisplayName, UserValidation.MaxDisplayNameLength);
        }

        if (update.AvatarUrl is not null)
        {
            User.AvatarUrl = UserValidation.Url("avatarUrl", update.AvatarUrl);
        }

        await state.WriteStateAsync();
        await index.UpdateAsync(Id, User.DisplayName, User.Status);
        return ToInfo();
    }

    public async Task<UserInfo> SetStatusAsync(UserStatus status)
    {
        EnsureExists();
        if (!Enum.IsDefined(status))
        {
            throw AppMsgException.Invalid("status", "status must be active or disabled");
        }

        User.Status = status;
        if (status == UserStatus.Disabled)
        {
            await RevokeAllTokensAsync();
        }

        await state.WriteStateAsync();
        await index.UpdateAsync(Id, User.DisplayName, User.Status);
        return ToInfo();
    }

    public async Task ChangePasswordAsync(string newPassword)
    {
        EnsureExists();
        User.PasswordHash = await passwords.HashAsync(UserValidation.Password(newPassword));
        await state.WriteStateAsync();
        await RevokeAllTokensAsync();
    }

    public async Task<bool> VerifyPasswordAsync(string password)
    {
        // Exactly one hash on every path (a missing or disabled user included), so the answer's timing tells nothing.
        var usable = User.TenantId is not null && User.Status == UserStatus.Active;
        var matches = await passwords.VerifyAsync(password ?? "", usable ? User.PasswordHash : null);
        if (!usable || !matches || password is null)
        {
            return false;
        }

        if (passwords.IsWeakerThanCurrent(User.PasswordHash))
        {
            // Made before the iterations rose: the password is at hand, so it gets the current cost now.
            User.PasswordHash = await passwords.HashAsync(password);
            await state.WriteStateAsync();
        }

        return true;
    }

    public async Task<IssuedToken> IssueTokenAsync(int terminalType)
    {
        EnsureExists();
        if (User.Status != UserStatus.Active)
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "the user is disabled");
        }

        // Read from the grain, not a cache: a login right after the tenant was disabled is refused.
        if ((await GrainFactory.GetGrain<ITenantGrain>(User.TenantId!).GetAsync())?.Disabled == true)
        {
            throw AppMsgException.TenantDisabled();
        }

        var now = DateTimeOffset.UtcNow;
        var expired = User.Tokens.Where(t => t.Value <= now).Select(t => t.Key).ToList();
        // Expired tokens' rows are deleted here (and by any validation of one), so they do not pile up in storage.
        await FanOut.ForEachAsync(expired, h => GrainFactory.GetGrain<IAuthTokenGrain>(h).RevokeAsync());
        foreach (var old in expired)
        {
            User.Tokens.Remove(old);
        }

        var token = Secrets.New();
        var hash = Secrets.Hash(token);
        var expiresAt = now + options.Value.TokenLifetime;
        await GrainFactory.GetGrain<IAuthTokenGrain>(hash).InitializeAsync(new TokenPrincipal(Id, User.TenantId!, expiresAt));
        User.Tokens[hash] = expiresAt;
        await state.WriteStateAsync();
        return new IssuedToken(token, expiresAt);
    }

    public async Task RevokeTokenAsync(string token)
    {
        var hash = Secrets.Hash(token ?? "");
        if (User.Tokens.Remove(hash))
        {
            await GrainFactory.GetGrain<IAuthTokenGrain>(hash).RevokeAsync();
            await state.WriteStateAsync();
        }

        await GrainFactory.GetGrain<IUserSessionsGrain>(Id).KickTokenSessionsAsync(hash, LoggedOut);
    }

    public async Task RevokeAllTokensAsync()
    {
        var hashes = User.Tokens.Keys.ToList();
        await FanOut.ForEachAsync(hashes, h => GrainFactory.GetGrain<IAuthTokenGrain>(h).RevokeAsync());
        User.Tokens.Clear();
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IUserSessionsGrain>(Id).KickAllAsync(LoggedOut);
    }

    public async Task AddMembershipAsync(string groupAddress)
    {
        EnsureExists();
        if (User.Memberships.Add(groupAddress))
        {
            await state.WriteStateAsync();
        }

        GrainFactory.GetGrain<IMembershipEventsGrain>(0).PublishAsync(new MembershipChange(Id, groupAddress, Joined: true)).Ignore();
    }

    public async Task RemoveMembershipAsync(string groupAddress)
    {
        if (User.Memberships.Remove(groupAddress))
        {
            await state.WriteStateAsync();
        }

        GrainFactory.GetGrain<IMembershipEventsGrain>(0).PublishAsync(new MembershipChange(Id, groupAddress, Joined: false)).Ignore();
    }

    public Task<IReadOnlyList<string>> GetMembershipsAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. User.Memberships.Order(StringComparer.Ordinal)]);

    public async Task SetMutedAsync(string sender, bool muted)
    {
        EnsureExists();
        if (!Common.Address.TryParse(sender, out var address) || address.Kind is not (Common.AddressKind.User or Common.AddressKind.App))
        {
            throw AppMsgException.Invalid("sender", "only id@user and id@app addresses can be muted");
        }

        if (muted ? User.Muted.Count < MaxMuted && User.Muted.Add(address.ToString()) : User.Muted.Remove(address.ToString()))
        {
            await state.WriteStateAsync();
            try
            {
                await GrainFactory.GetGrain<IMembershipEventsGrain>(0).PublishMuteAsync(new MuteChange(Id, address.ToString(), muted));
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // Stored: caches that missed the notice drop the old mutes when they expire.
                LogMuteNotPublished(logger, Id, e.Message);
            }
        }
        else if (muted && !User.Muted.Contains(address.ToString()))
        {
            throw new AppMsgException(ErrorCodes.OverQuota, $"a user mutes at most {MaxMuted} senders");
        }
    }

    public Task<UserReading> GetReadingAsync()
    {
        if (!servedOthers)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(new UserReading([.. User.Memberships.Order(StringComparer.Ordinal)], [.. User.Muted.Order(StringComparer.Ordinal)]));
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name != nameof(GetReadingAsync))
        {
            servedOthers = true;
        }

        return context.Invoke();
    }

    public Task<IReadOnlyList<string>> GetMutedAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. User.Muted.Order(StringComparer.Ordinal)]);

    public Task<bool> IsMutedAsync(string sender) => Task.FromResult(User.Muted.Contains(sender));

    public async Task<bool> AcceptsFromAsync(string sender)
    {
        if (User.Muted.Contains(sender) || User.TenantId is null)
        {
            return false;
        }

        if (!Common.Address.TryParse(sender, out var from) || from.Kind != Common.AddressKind.User || from.Id == Id)
        {
            return true;
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(User.TenantId).GetAsync();
        return tenant?.Settings.DirectMessages switch
        {
            DirectMessagePolicy.None => false,
            DirectMessagePolicy.Contacts => await GrainFactory.GetGrain<IContactsGrain>(Id).GetAsync(from.Id) is not null,
            _ => true,
        };
    }

    private void EnsureExists()
    {
        if (User.TenantId is null)
        {
            throw AppMsgException.NotFound("user");
        }
    }

    private UserInfo ToInfo() =>
        new(Id, User.TenantId!, User.Username, User.DisplayName, User.AvatarUrl, User.Status, User.CreatedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}'s mute change is stored but was not published: {Reason}")]
    private static partial void LogMuteNotPublished(ILogger logger, string userId, string reason);
}
