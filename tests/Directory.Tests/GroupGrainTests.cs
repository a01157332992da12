using System.Collections.Concurrent;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>Quns and orgs through the grain interfaces, as a backend on the Orleans client uses them.</summary>
public sealed class GroupGrainTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private IClusterClient Cluster => system.Cluster;

    [Fact]
    public async Task A_qun_lives_through_the_grain_interface_and_user_memberships_follow()
    {
        var tenantId = await TenantAsync();
        var owner = await UserAsync(tenantId, "owner");
        var admin = await UserAsync(tenantId, "admin");
        var member = await UserAsync(tenantId, "member");
        var later = await UserAsync(tenantId, "later");
        var qunId = Ids.New();
        var qun = Cluster.GetGrain<IQunGrain>(qunId);
        var address = $"{qunId}@qun";

        var created = await qun.CreateAsync(new NewQun(tenantId, "Ops", owner, [admin, member], Topic: "pager rota"));
        Assert.Equal(new QunInfo(qunId, tenantId, "Ops", "pager rota", owner, 2000, 3, created.CreatedAt), created);
        Assert.Equal(created, await qun.GetAsync());
        foreach (var user in new[] { owner, admin, member })
        {
            Assert.Equal([address], await Memberships(user));
        }

        Assert.Empty(await Memberships(later));
        Assert.Equal(ErrorCodes.Conflict, (await Refused(() => qun.CreateAsync(new NewQun(tenantId, "Again", owner)))).Code);

        await qun.SetRoleAsync(owner, admin, QunRole.Admin);
        Assert.Equal(QunRole.Admin, await qun.GetMemberRoleAsync(admin));
        await qun.RenameAsync(admin, "Ops team");
        Assert.Equal("Ops team", (await qun.GetAsync())!.Name);
        Assert.Equal("", (await qun.SetTopicAsync(null, "")).Topic);

        await qun.AddMembersAsync(admin, [later, later]);
        Assert.True(await qun.IsMemberAsync(later));
        Assert.Equal([address], await Memberships(later));
        Assert.Equal(4, (await qun.GetAsync())!.MemberCount);

        await qun.RemoveMemberAsync(later, later);
        Assert.False(await qun.IsMemberAsync(later));
        Assert.Null(await qun.GetMemberRoleAsync(later));
        Assert.Empty(await Memberships(later));

        var handedOver = await qun.TransferOwnershipAsync(null, admin);
        Assert.Equal(admin, handedOver.OwnerId);
        Assert.Equal(QunRole.Admin, await qun.GetMemberRoleAsync(owner));
        Assert.Equal(QunRole.Owner, await qun.GetMemberRoleAsync(admin));
        var page = await qun.GetMembersAsync(null, 10);
        Assert.Equal(
            new[] { new QunMember(owner, QunRole.Admin), new QunMember(admin, QunRole.Owner), new QunMember(member, QunRole.Member) }.OrderBy(m => m.UserId, StringComparer.Ordinal),
            page.Items);
        Assert.Null(page.Next);
        Assert.Equal(page.Items, (await Cluster.GetGrain<IDirectoryQueryGrain>(0).ListQunMembersAsync(qunId, null, 10)).Items);
        Assert.Equal([new QunSummary(qunId, "Ops team", QunRole.Owner)], (await Cluster.GetGrain<IDirectoryQueryGrain>(0).ListUserQunsAsync(admin, null, 10)).Items);

        await qun.DissolveAsync(admin);
        Assert.Null(await qun.GetAsync());
        Assert.False(await qun.IsMemberAsync(member));
        foreach (var user in new[] { owner, admin, member })
        {
            Assert.Empty(await Memberships(user));
        }

        Assert.Empty((await Cluster.GetGrain<IDirectoryQueryGrain>(0).ListUserQunsAsync(admin, null, 10)).Items);
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => qun.AddMembersAsync(null, [later]))).Code);
        Assert.Equal(ErrorCodes.Conflict, (await Refused(() => qun.CreateAsync(new NewQun(tenantId, "Reuse", owner)))).Code);
    }

    [Fact]
    public async Task The_grain_enforces_roles_for_acting_users()
    {
        var tenantId = await TenantAsync();
        var owner = await UserAsync(tenantId, "owner");
        var admin = await UserAsync(tenantId, "admin");
        var otherAdmin = await UserAsync(tenantId, "admin2");
        var member = await UserAsync(tenantId, "member");
        var outsider = await UserAsync(tenantId, "outsider");
        var qun = Cluster.GetGrain<IQunGrain>(Ids.New());
        await qun.CreateAsync(new NewQun(tenantId, "Rules", owner, [admin, otherAdmin, member]));
        await qun.SetRoleAsync(null, admin, QunRole.Admin);
        await qun.SetRoleAsync(owner, otherAdmin, QunRole.Admin);

        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => qun.AddMembersAsync(outsider, [outsider]))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => qun.RemoveMemberAsync(outsider, outsider))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => qun.AddMembersAsync(member, [outsider]))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => qun.RenameAsync(member, "mine"))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => qun.SetRoleAsync(admin, member, QunRole.Admin))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => qun.RemoveMemberAsync(admin, otherAdmin))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => qun.TransferOwnershipAsync(admin, admin))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Refused(() => qun.DissolveAsync(admin))).Code);
        Assert.Equal(ErrorCodes.Conflict, (await Refused(() => qun.RemoveMemberAsync(owner, owner))).Code);
        Assert.Equal(ErrorCodes.Conflict, (await Refused(() => qun.SetRoleAsync(null, owner, QunRole.Member))).Code);
        Assert.Equal("role", Field(await Refused(() => qun.SetRoleAsync(owner, member, QunRole.Owner))));
        Assert.Equal("role", Field(await Refused(() => qun.SetRoleAsync(owner, member, (QunRole)7))));
        Assert.Equal("userId", Field(await Refused(() => qun.TransferOwnershipAsync(owner, outsider))));
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => qun.RemoveMemberAsync(null, outsider))).Code);
        Assert.Equal(QunRole.Admin, await qun.GetMemberRoleAsync(otherAdmin));

        // What an admin may: add and remove plain members.
        await qun.AddMembersAsync(admin, [outsider]);
        await qun.RemoveMemberAsync(admin, outsider);
        await qun.RemoveMemberAsync(owner, otherAdmin);
        Assert.Equal(3, (await qun.GetAsync())!.MemberCount);
    }

    [Fact]
    public async Task Creating_a_qun_checks_the_tenant_the_users_and_the_limit()
    {
        var tenantId = await TenantAsync();
        var otherTenant = await TenantAsync();
        var owner = await UserAsync(tenantId, "owner");
        var stranger = await UserAsync(otherTenant, "stranger");
        var members = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            members.Add(await UserAsync(tenantId, $"m{i}"));
        }

        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => NewQunGrain().CreateAsync(new NewQun(Ids.New(), "x", owner)))).Code);
        Assert.Equal("ownerId", Field(await Refused(() => NewQunGrain().CreateAsync(new NewQun(tenantId, "x", stranger)))));
        Assert.Equal("ownerId", Field(await Refused(() => NewQunGrain().CreateAsync(new NewQun(tenantId, "x", Ids.New())))));
        Assert.Equal("members", Field(await Refused(() => NewQunGrain().CreateAsync(new NewQun(tenantId, "x", owner, [stranger])))));
        Assert.Equal("members", Field(await Refused(() => NewQunGrain().CreateAsync(new NewQun(tenantId, "x", owner, members, MaxMembers: 3)))));
        Assert.Equal("maxMembers", Field(await Refused(() => NewQunGrain().CreateAsync(new NewQun(tenantId, "x", owner, MaxMembers: 0)))));
        Assert.Equal("name", Field(await Refused(() => NewQunGrain().CreateAsync(new NewQun(tenantId, new string('x', 101), owner)))));
        Assert.Empty(await Memberships(owner));
        Assert.Empty(await Memberships(stranger));

        var qun = NewQunGrain();
        await qun.CreateAsync(new NewQun(tenantId, "x", owner, members[..2], MaxMembers: 3));
        Assert.Equal("members", Field(await Refused(() => qun.AddMembersAsync(null, [members[2]]))));
        Assert.Equal("members", Field(await Refused(() => qun.AddMembersAsync(null, [stranger]))));
        Assert.Empty(await Memberships(members[2]));
        Assert.Equal("maxMembers", Field(await Refused(() => qun.SetMaxMembersAsync(2))));
        await qun.SetMaxMembersAsync(4);
        await qun.AddMembersAsync(null, [members[2]]);
        Assert.Equal(4, (await qun.GetAsync())!.MemberCount);
    }

    [Fact]
    public async Task Joins_and_leaves_of_quns_and_orgs_are_published_as_membership_events()
    {
        var tenantId = await TenantAsync();
        var owner = await UserAsync(tenantId, "owner");
        var joiner = await UserAsync(tenantId, "joiner");
        var recorder = new Recorder();
        var observer = Cluster.CreateObjectReference<IMembershipObserver>(recorder);
        var events = Cluster.GetGrain<IMembershipEventsGrain>(0);
        await events.SubscribeAsync(observer);
        try
        {
            var qunId = Ids.New();
            var qun = Cluster.GetGrain<IQunGrain>(qunId);
            await qun.CreateAsync(new NewQun(tenantId, "Events", owner));
            await qun.AddMembersAsync(owner, [joiner]);
            await qun.RemoveMemberAsync(joiner, joiner);
            var orgId = Ids.New();
            var org = Cluster.GetGrain<IOrgGrain>(orgId);
            await org.CreateAsync(new NewOrg(tenantId, "Dept"));
            await org.AddMemberAsync(joiner);
            await org.RemoveMemberAsync(joiner);

            var expected = new[]
            {
                new MembershipChange(owner, $"{qunId}@qun", true),
                new MembershipChange(joiner, $"{qunId}@qun", true),
                new MembershipChange(joiner, $"{qunId}@qun", false),
                new MembershipChange(joiner, $"{orgId}@org", true),
                new MembershipChange(joiner, $"{orgId}@org", false),
            };
            await Eventually.ReturnsAsync(() => Task.FromResult(recorder.Changes.ToList()), seen => expected.All(seen.Contains),
                TimeSpan.FromSeconds(20), "membership events");
            Assert.Equal(4, recorder.Changes.Count(c => c.UserId == joiner));
        }
        finally
        {
            await events.UnsubscribeAsync(observer);
            Cluster.DeleteObjectReference<IMembershipObserver>(observer);
            GC.KeepAlive(recorder);
        }
    }

    [Fact]
    public async Task An_org_tree_through_the_grain_interface()
    {
        var tenantId = await TenantAsync();
        var otherTenant = await TenantAsync();
        var user = await UserAsync(tenantId, "worker");
        var stranger = await UserAsync(otherTenant, "stranger");
        var (rootId, root) = NewOrgGrain();
        var (childId, child) = NewOrgGrain();
        var (secondId, second) = NewOrgGrain();
        var (grandId, grand) = NewOrgGrain();

        var created = await root.CreateAsync(new NewOrg(tenantId, "Company", SortOrder: 3));
        Assert.Equal(new OrgInfo(rootId, tenantId, null, "Company", 3, created.CreatedAt), created);
        await child.CreateAsync(new NewOrg(tenantId, "B", rootId, SortOrder: 2));
        await second.CreateAsync(new NewOrg(tenantId, "A", rootId, SortOrder: 1));
        await grand.CreateAsync(new NewOrg(tenantId, "G", childId));
        Assert.Equal([secondId, childId], (await root.GetChildrenAsync()).Select(o => o.Id));
        Assert.Equal(await child.GetAsync(), (await root.GetChildrenAsync())[1]);
        Assert.Equal([created], (await Cluster.GetGrain<IDirectoryQueryGrain>(0).ListRootOrgsAsync(tenantId, null, 10)).Items);

        var (foreignId, foreign) = NewOrgGrain();
        await foreign.CreateAsync(new NewOrg(otherTenant, "Elsewhere"));
        Assert.Equal("parentId", Field(await Refused(() => NewOrgGrain().Grain.CreateAsync(new NewOrg(tenantId, "x", foreignId)))));
        Assert.Equal("parentId", Field(await Refused(() => child.MoveAsync(foreignId))));
        Assert.Equal("parentId", Field(await Refused(() => root.MoveAsync(grandId))));
        Assert.Equal("parentId", Field(await Refused(() => child.MoveAsync(childId))));
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => NewOrgGrain().Grain.CreateAsync(new NewOrg(Ids.New(), "x")))).Code);

        Assert.Equal(secondId, (await grand.MoveAsync(secondId)).ParentId);
        Assert.Equal([grandId], (await second.GetChildrenAsync()).Select(o => o.Id));
        Assert.Empty(await child.GetChildrenAsync());
        Assert.Equal(0, (await child.SetSortOrderAsync(0)).SortOrder);
        Assert.Equal("Renamed", (await child.RenameAsync("Renamed")).Name);
        Assert.Equal([childId, secondId], (await root.GetChildrenAsync()).Select(o => o.Id));

        await grand.AddMemberAsync(user);
        Assert.True(await grand.IsMemberAsync(user));
        Assert.Equal([$"{grandId}@org"], await Memberships(user));
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => grand.AddMemberAsync(stranger))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => grand.AddMemberAsync(Ids.New()))).Code);
        Assert.Equal([user], (await Cluster.GetGrain<IDirectoryQueryGrain>(0).ListOrgMembersAsync(rootId, true, null, 10)).Items.Select(u => u.Id));
        Assert.Empty((await Cluster.GetGrain<IDirectoryQueryGrain>(0).ListOrgMembersAsync(rootId, false, null, 10)).Items);

        Assert.Equal(ErrorCodes.Conflict, (await Refused(() => grand.DeleteAsync())).Code);
        Assert.Equal(ErrorCodes.Conflict, (await Refused(() => second.DeleteAsync())).Code);
        await grand.RemoveMemberAsync(user);
        Assert.Empty(await Memberships(user));
        await grand.DeleteAsync();
        await second.DeleteAsync();
        Assert.Null(await grand.GetAsync());
        Assert.Equal(ErrorCodes.NotFound, (await Refused(() => grand.AddMemberAsync(user))).Code);
        Assert.Equal([childId], (await root.GetChildrenAsync()).Select(o => o.Id));
    }

    [Fact]
    public async Task Quns_and_orgs_survive_a_restart_of_the_whole_system()
    {
        var tenantId = await TenantAsync();
        var owner = await UserAsync(tenantId, "owner");
        var member = await UserAsync(tenantId, "member");
        var qunId = Ids.New();
        var created = await Cluster.GetGrain<IQunGrain>(qunId).CreateAsync(new NewQun(tenantId, "Durable", owner, [member], 50, "kept"));
        await Cluster.GetGrain<IQunGrain>(qunId).SetRoleAsync(null, member, QunRole.Admin);
        var (orgId, org) = NewOrgGrain();
        var (childId, child) = NewOrgGrain();
        var orgCreated = await org.CreateAsync(new NewOrg(tenantId, "Durable org", SortOrder: 4));
        await child.CreateAsync(new NewOrg(tenantId, "Child", orgId));
        await child.AddMemberAsync(member);

        await system.RestartAsync();

        Assert.Equal(created, await Cluster.GetGrain<IQunGrain>(qunId).GetAsync());
        Assert.Equal(QunRole.Admin, await Cluster.GetGrain<IQunGrain>(qunId).GetMemberRoleAsync(member));
        Assert.Equal(orgCreated, await Cluster.GetGrain<IOrgGrain>(orgId).GetAsync());
        Assert.Equal([childId], (await Cluster.GetGrain<IOrgGrain>(orgId).GetChildrenAsync()).Select(o => o.Id));
        Assert.True(await Cluster.GetGrain<IOrgGrain>(childId).IsMemberAsync(member));
        Assert.Equal(Sorted($"{qunId}@qun", $"{childId}@org"), await Memberships(member));
        Assert.Equal([member], (await Cluster.GetGrain<IDirectoryQueryGrain>(0).ListOrgMembersAsync(orgId, true, null, 10)).Items.Select(u => u.Id));
    }

    private IQunGrain NewQunGrain() => Cluster.GetGrain<IQunGrain>(Ids.New());

    private (string Id, IOrgGrain Grain) NewOrgGrain()
    {
        var id = Ids.New();
        return (id, Cluster.GetGrain<IOrgGrain>(id));
    }

    private async Task<string> TenantAsync()
    {
        var id = Ids.New();
        await Cluster.GetGrain<ITenantGrain>(id).CreateAsync("tenant");
        return id;
    }

    private async Task<string> UserAsync(string tenantId, string username)
    {
        var id = Ids.New();
        await Cluster.GetGrain<IUserGrain>(id).CreateAsync(new NewUser(tenantId, username, "correct horse"));
        return id;
    }

    private async Task<IReadOnlyList<string>> Memberships(string userId) => await Cluster.GetGrain<IUserGrain>(userId).GetMembershipsAsync();

    private static List<string> Sorted(params string[] items) => [.. items.Order(StringComparer.Ordinal)];

    private static async Task<AppMsgException> Refused(Func<Task> call) => await Assert.ThrowsAsync<AppMsgException>(call);

    /// <summary>The one field a validation refusal names.</summary>
    private static string Field(AppMsgException refusal)
    {
        Assert.Equal(ErrorCodes.ValidationFailed, refusal.Code);
        return Assert.Single(refusal.Errors!).Key;
    }

    private sealed class Recorder : IMembershipObserver
    {
        public ConcurrentQueue<MembershipChange> Changes { get; } = new();

        public Task OnMembershipChangedAsync(MembershipChange change)
        {
            Changes.Enqueue(change);
            return Task.CompletedTask;
        }

        public Task OnMuteChangedAsync(MuteChange change) => Task.CompletedTask;
    }
}
