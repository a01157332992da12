using AppMsg.Common;
using AppMsg.Directory;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AppMsg.Grains.Directory;

/// <remarks>
/// Changes reach the SQL rows and the users' grains before the qun's own state is written: when a
/// step fails the caller sees the failure, and repeating the call redoes every step (they are
/// idempotent) instead of finding a state that claims the work was done.
/// </remarks>
public sealed class QunGrain(
    [PersistentState("qun", StorageNames.Default)] IPersistentState<QunState> state,
    QunIndex index,
    Conversations.ConversationStore conversations,
    IOptions<QunOptions> options) : Grain, IQunGrain
{
    public const int MaxNameLength = 100;
    public const int MaxTopicLength = 1_000;

    private QunState Qun => state.State;

    private string Id => this.GetPrimaryKeyString();

    private string Address => Common.Address.Qun(Id).ToString();

    private bool Live => Qun.TenantId is not null && !Qun.Dissolved;

    public async Task<QunInfo> CreateAsync(NewQun qun)
    {
        ArgumentNullException.ThrowIfNull(qun);
        if (Qun.TenantId is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the qun already exists");
        }

        var name = Names.Validate("name", qun.Name, MaxNameLength);
        var topic = ValidTopic(qun.Topic);
        var maxMembers = ValidMaxMembers(qun.MaxMembers ?? options.Value.DefaultMaxMembers, 1);
        await TenantChecks.EnsureExistsAsync(GrainFactory, qun.TenantId);

        if (!Ids.IsValid(qun.OwnerId))
        {
            throw AppMsgException.Invalid("ownerId", "ownerId must be a user of the qun's tenant");
        }

        var members = ValidUserIds(qun.MemberIds ?? []).Where(id => id != qun.OwnerId).ToList();
        if (members.Count + 1 > maxMembers)
        {
            throw OverLimit(maxMembers);
        }

        await EnsureTenantUsersAsync(qun.TenantId, [qun.OwnerId], "ownerId");
        await EnsureTenantUsersAsync(qun.TenantId, members, "members");

        var roles = new Dictionary<string, QunRole>(members.Count + 1) { [qun.OwnerId] = QunRole.Owner };
        foreach (var member in members)
        {
            roles[member] = QunRole.Member;
        }

        await index.CreateAsync(Id, qun.TenantId, name, qun.OwnerId, roles);
        try
        {
            await FanOutAsync([.. roles.Keys], user => user.AddMembershipAsync(Address));
            Qun.TenantId = qun.TenantId;
            Qun.Name = name;
            Qun.Topic = topic;
            Qun.OwnerId = qun.OwnerId;
            Qun.MaxMembers = maxMembers;
            Qun.CreatedAt = DateTimeOffset.UtcNow;
            Qun.Members = roles;
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new QunState();
            await FanOutAsync([.. roles.Keys], user => user.RemoveMembershipAsync(Address));
            await index.DeleteAsync(Id);
            throw;
        }

        return ToInfo();
    }

    public Task<QunInfo?> GetAsync() => Task.FromResult(Live ? ToInfo() : null);

    public async Task<QunInfo> RenameAsync(string? actorUserId, string name)
    {
        Require(actorUserId, QunRole.Admin, "rename the qun");
        var valid = Names.Validate("name", name, MaxNameLength);
        if (valid != Qun.Name)
        {
            await index.RenameAsync(Id, valid);
            Qun.Name = valid;
            await SaveAsync();
        }

        return ToInfo();
    }

    public async Task<QunInfo> SetTopicAsync(string? actorUserId, string topic)
    {
        Require(actorUserId, QunRole.Admin, "change the topic");
        Qun.Topic = ValidTopic(topic);
        await SaveAsync();
        return ToInfo();
    }

    public async Task<QunInfo> SetMaxMembersAsync(int maxMembers)
    {
        Require(null, QunRole.Owner, "change the member limit");
        Qun.MaxMembers = ValidMaxMembers(maxMembers, Qun.Members.Count);
        await SaveAsync();
        return ToInfo();
    }

    public async Task AddMembersAsync(string? actorUserId, IReadOnlyList<string> userIds)
    {
        Require(actorUserId, QunRole.Admin, "add members");
        var added = ValidUserIds(userIds ?? []).Where(id => !Qun.Members.ContainsKey(id)).ToList();
        if (Qun.Members.Count + added.Count > Qun.MaxMembers)
        {
            throw OverLimit(Qun.MaxMembers);
        }

        if (added.Count == 0)
        {
            return;
        }

        await EnsureTenantUsersAsync(Qun.TenantId!, added, "members");
        await index.UpsertMembersAsync(Id, [.. added.Select(id => KeyValuePair.Create(id, QunRole.Member))]);
        // New members' unread counts start at the qun's last message now, not at its oldest kept one.
        await conversations.RecordJoinAsync(Address, added);
        await FanOutAsync(added, user => user.AddMembershipAsync(Address));
        foreach (var id in added)
        {
            Qun.Members[id] = QunRole.Member;
        }

        await SaveAsync();
    }

    public async Task RemoveMemberAsync(string? actorUserId, string userId)
    {
        var leaving = actorUserId is not null && actorUserId == userId;
        var actor = leaving ? Require(actorUserId, QunRole.Member, "leave") : Require(actorUserId, QunRole.Admin, "remove members");
        if (userId is null || !Qun.Members.TryGetValue(userId, out var role))
        {
            throw AppMsgException.NotFound("member");
        }

        if (role == QunRole.Owner)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the owner cannot leave or be removed; transfer the ownership first");
        }

        if (!leaving && actor == QunRole.Admin && role == QunRole.Admin)
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "only the owner may remove an admin");
        }

        await index.RemoveMemberAsync(Id, userId);
        await GrainFactory.GetGrain<IUserGrain>(userId).RemoveMembershipAsync(Address);
        Qun.Members.Remove(userId);
        await SaveAsync();
    }

    public async Task SetRoleAsync(string? actorUserId, string userId, QunRole role)
    {
        Require(actorUserId, QunRole.Owner, "change roles");
        if (role is not (QunRole.Admin or QunRole.Member))
        {
            throw AppMsgException.Invalid("role", "role must be admin or member; ownership moves by a transfer");
        }

        if (userId is null || !Qun.Members.TryGetValue(userId, out var current))
        {
            throw AppMsgException.NotFound("member");
        }

        if (current == QunRole.Owner)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the owner's role changes only by transferring the ownership");
        }

        if (current != role)
        {
            await index.UpsertMembersAsync(Id, [KeyValuePair.Create(userId, role)]);
            Qun.Members[userId] = role;
            await SaveAsync();
        }
    }

    public async Task<QunInfo> TransferOwnershipAsync(string? actorUserId, string newOwnerId)
    {
        Require(actorUserId, QunRole.Owner, "transfer the ownership");
        if (newOwnerId is null || !Qun.Members.ContainsKey(newOwnerId))
        {
            throw AppMsgException.Invalid("userId", "the new owner must be a member of the qun");
        }

        if (newOwnerId != Qun.OwnerId)
        {
            await index.TransferAsync(Id, Qun.OwnerId, newOwnerId);
            Qun.Members[Qun.OwnerId] = QunRole.Admin;
            Qun.Members[newOwnerId] = QunRole.Owner;
            Qun.OwnerId = newOwnerId;
            await SaveAsync();
        }

        return ToInfo();
    }

    public async Task DissolveAsync(string? actorUserId)
    {
        Require(actorUserId, QunRole.Owner, "dissolve the qun");
        await index.DissolveAsync(Id);
        await FanOutAsync([.. Qun.Members.Keys], user => user.RemoveMembershipAsync(Address));
        Qun.Dissolved = true;
        Qun.Members.Clear();
        await SaveAsync();
    }

    public Task<Page<QunMember>> GetMembersAsync(string? after, int limit)
    {
        Require(null, QunRole.Member, "list members");
        var size = DirectoryQueryGrain.PageSize(limit);
        var from = Cursor.Decode(after) ?? "";
        var ids = Qun.Members.Keys
            .Where(id => string.CompareOrdinal(id, from) > 0)
            .Order(StringComparer.Ordinal)
            .Take(size + 1)
            .ToList();
        var more = ids.Count > size;
        var items = ids.Take(size).Select(id => new QunMember(id, Qun.Members[id])).ToList();
        return Task.FromResult(new Page<QunMember>(items, more ? Cursor.Encode(items[^1].UserId) : null));
    }

    public Task<QunRole?> GetMemberRoleAsync(string userId) =>
        Task.FromResult<QunRole?>(Live && userId is not null && Qun.Members.TryGetValue(userId, out var role) ? role : null);

    public Task<bool> IsMemberAsync(string userId) => Task.FromResult(Live && userId is not null && Qun.Members.ContainsKey(userId));

    /// <summary>
    /// Checks that the qun is live and the actor has at least the role <paramref name="least"/>; returns the
    /// actor's role, <see cref="QunRole.Owner"/> for a privileged caller.
    /// </summary>
    private QunRole Require(string? actorUserId, QunRole least, string action)
    {
        if (!Live)
        {
            throw AppMsgException.NotFound("qun");
        }

        if (actorUserId is null)
        {
            return QunRole.Owner;
        }

        // A user outside the qun must not learn that it exists.
        if (!Qun.Members.TryGetValue(actorUserId, out var role))
        {
            throw AppMsgException.NotFound("qun");
        }

        if (role < least)
        {
            throw new AppMsgException(ErrorCodes.Forbidden,
                least == QunRole.Owner ? $"only the owner may {action}" : $"only the owner and admins may {action}");
        }

        return role;
    }

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The state in memory is ahead of the stored one: reload it on the next call.
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task EnsureTenantUsersAsync(string tenantId, IReadOnlyList<string> userIds, string field)
    {
        var users = await FanOut.SelectAsync(userIds, id => GrainFactory.GetGrain<IUserGrain>(id).GetAsync());
        var outsiders = userIds.Where((_, i) => users[i]?.TenantId != tenantId).ToList();

        if (outsiders.Count > 0)
        {
            // The same answer for unknown users and users of other tenants: nothing leaks across tenants.
            var message = $"not users of the qun's tenant: {string.Join(", ", outsiders.Take(10))}{(outsiders.Count > 10 ? ", ..." : "")}";
            throw AppMsgException.Invalid(field, message);
        }
    }

    private Task FanOutAsync(IReadOnlyList<string> userIds, Func<IUserGrain, Task> call) =>
        FanOut.ForEachAsync(userIds, id => call(GrainFactory.GetGrain<IUserGrain>(id)));

    private static List<string> ValidUserIds(IReadOnlyCollection<string> userIds)
    {
        if (userIds.Count > QunLimits.MaxMembersPerCall)
        {
            throw AppMsgException.Invalid("members", $"one call adds at most {QunLimits.MaxMembersPerCall} members; add more in further calls");
        }

        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in userIds)
        {
            if (!Ids.IsValid(id))
            {
                throw AppMsgException.Invalid("members", $"'{id}' is not a user id");
            }

            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static string ValidTopic(string? topic)
    {
        if (topic is { Length: > MaxTopicLength })
        {
            throw AppMsgException.Invalid("topic", $"topic must be at most {MaxTopicLength} characters");
        }

        return topic ?? "";
    }

    private int ValidMaxMembers(int maxMembers, int least)
    {
        var ceiling = options.Value.MaxMembersCeiling;
        if (maxMembers < Math.Max(least, 1) || maxMembers > ceiling)
        {
            throw AppMsgException.Invalid("maxMembers", least > 1
                ? $"maxMembers must be {least} (the current member count) to {ceiling}"
                : $"maxMembers must be 1 to {ceiling}");
        }

        return maxMembers;
    }

    private static AppMsgException OverLimit(int maxMembers) =>
        AppMsgException.Invalid("members", $"the qun allows at most {maxMembers} members, owner included");

    private QunInfo ToInfo() =>
        new(Id, Qun.TenantId!, Qun.Name, Qun.Topic, Qun.OwnerId, Qun.MaxMembers, Qun.Members.Count, Qun.CreatedAt);
}
