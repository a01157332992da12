using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>The directory through the grain interfaces, as a backend on the Orleans client uses it.</summary>
public sealed class DirectoryGrainTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private IClusterClient Cluster => system.Cluster;

    [Fact]
    public async Task A_tenant_is_created_read_and_its_settings_replaced()
    {
        var id = Ids.New();
        var tenant = Cluster.GetGrain<ITenantGrain>(id);

        var created = await tenant.CreateAsync(" Umbrella ", new TenantSettings(AndroidIosExclusive: true));
        var updated = await tenant.UpdateSettingsAsync(new TenantSettings(OneSessionPerTerminalType: false));
        var read = await tenant.GetAsync();

        Assert.Equal(id, created.Id);
        Assert.Equal("Umbrella", created.Name);
        Assert.True(created.Settings.AndroidIosExclusive);
        Assert.Equal(updated, read);
        Assert.False(read!.Settings.OneSessionPerTerminalType);
        Assert.False(read.Settings.AndroidIosExclusive);
        Assert.Equal(ErrorCodes.Conflict, (await Assert.ThrowsAsync<AppMsgException>(() => tenant.CreateAsync("again"))).Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await Assert.ThrowsAsync<AppMsgException>(() => Cluster.GetGrain<ITenantGrain>(Ids.New()).CreateAsync(" "))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() => Cluster.GetGrain<ITenantGrain>(Ids.New()).UpdateSettingsAsync(new TenantSettings()))).Code);
        Assert.Null(await Cluster.GetGrain<ITenantGrain>(Ids.New()).GetAsync());
    }

    [Fact]
    public async Task A_user_is_created_changed_disabled_and_refused_bad_input()
    {
        var tenantId = await TenantAsync();
        var id = Ids.New();
        var user = Cluster.GetGrain<IUserGrain>(id);

        var created = await user.CreateAsync(new NewUser(tenantId, "Zed", "long password", "Zed Z."));
        Assert.Equal(id, created.Id);
        Assert.Equal(UserStatus.Active, created.Status);
        Assert.Equal(id, await Cluster.GetGrain<IDirectoryQueryGrain>(0).FindUserIdAsync(tenantId, "zed"));
        Assert.True(await user.VerifyPasswordAsync("long password"));
        Assert.False(await user.VerifyPasswordAsync("wrong password"));

        var renamed = await user.UpdateProfileAsync(new UserProfileUpdate("Zed Renamed", "https://img.example/z.png"));
        Assert.Equal("Zed Renamed", renamed.DisplayName);
        Assert.Equal("https://img.example/z.png", (await user.GetAsync())!.AvatarUrl);

        var token = await user.IssueTokenAsync(1);
        Assert.Equal(id, (await Cluster.GetGrain<IAuthTokenGrain>(Hash(token.Token)).ValidateAsync())!.UserId);
        await user.SetStatusAsync(UserStatus.Disabled);
        Assert.Null(await Cluster.GetGrain<IAuthTokenGrain>(Hash(token.Token)).ValidateAsync());
        Assert.False(await user.VerifyPasswordAsync("long password"));
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<AppMsgException>(() => user.IssueTokenAsync(1))).Code);

        await AssertRefusedAsync(ErrorCodes.Conflict, "username", () => Cluster.GetGrain<IUserGrain>(Ids.New()).CreateAsync(new NewUser(tenantId, "ZED", "long password")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "password", () => Cluster.GetGrain<IUserGrain>(Ids.New()).CreateAsync(new NewUser(tenantId, "yan", "short")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "username", () => Cluster.GetGrain<IUserGrain>(Ids.New()).CreateAsync(new NewUser(tenantId, "y an", "long password")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "avatarUrl", () => user.UpdateProfileAsync(new UserProfileUpdate(AvatarUrl: "javascript:alert(1)")));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() =>
            Cluster.GetGrain<IUserGrain>(Ids.New()).CreateAsync(new NewUser(Ids.New(), "yan", "long password")))).Code);
    }

    [Fact]
    public async Task An_app_is_created_and_its_secret_verified_and_rotated()
    {
        var tenantId = await TenantAsync();
        var app = Cluster.GetGrain<IAppGrain>(Ids.New());

        var created = await app.CreateAsync(new NewApp(tenantId, "hooks", "https://hooks.example/in"));
        Assert.Equal(32, created.Secret.Length);
        Assert.True(await app.VerifySecretAsync(created.Secret));
        Assert.Equal(created.App, await app.GetAsync());

        var rotated = await app.RotateSecretAsync(TimeSpan.Zero);
        Assert.False(await app.VerifySecretAsync(created.Secret));
        Assert.True(await app.VerifySecretAsync(rotated.Secret));

        Assert.Equal(ErrorCodes.Conflict, (await Assert.ThrowsAsync<AppMsgException>(() => app.CreateAsync(new NewApp(tenantId, "again")))).Code);
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "webhookUrl", () => Cluster.GetGrain<IAppGrain>(Ids.New()).CreateAsync(new NewApp(tenantId, "x", "file:///etc/passwd")));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() => Cluster.GetGrain<IAppGrain>(Ids.New()).CreateAsync(new NewApp(Ids.New(), "x")))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() => Cluster.GetGrain<IAppGrain>(Ids.New()).RotateSecretAsync(null))).Code);
    }

    [Fact]
    public async Task Contacts_are_saved_read_listed_and_removed()
    {
        var tenantId = await TenantAsync();
        var owner = await UserAsync(tenantId, "owner");
        var first = await UserAsync(tenantId, "first");
        var second = await UserAsync(tenantId, "second");
        var contacts = Cluster.GetGrain<IContactsGrain>(owner);

        var added = await contacts.SaveAsync(first, new ContactUpdate("met at the fair", Starred: true));
        Assert.True(added.Created);
        Assert.Equal("first", added.Contact.Username);
        var updated = await contacts.SaveAsync(first, new ContactUpdate(Starred: false));
        Assert.False(updated.Created);
        Assert.Equal("met at the fair", updated.Contact.Remark);
        Assert.Equal(added.Contact.CreatedAt, updated.Contact.CreatedAt);
        await contacts.SaveAsync(second, new ContactUpdate());

        Assert.Equal(updated.Contact, await contacts.GetAsync(first));
        var page = await contacts.ListAsync(null, 1);
        Assert.Single(page.Items);
        Assert.NotNull(page.Next);
        var rest = await contacts.ListAsync(page.Next, 10);
        Assert.Null(rest.Next);
        var all = page.Items.Concat(rest.Items).ToList();
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), all.Select(c => c.ContactId));
        Assert.Equal(updated.Contact, all.Single(c => c.ContactId == first));

        Assert.True(await contacts.RemoveAsync(first));
        Assert.False(await contacts.RemoveAsync(first));
        Assert.Null(await contacts.GetAsync(first));
        Assert.Equal(new[] { second }, (await contacts.ListAsync(null, 10)).Items.Select(c => c.ContactId));
    }

    [Fact]
    public async Task Contacts_refuse_bad_input_with_stable_codes()
    {
        var tenantId = await TenantAsync();
        var otherTenant = await TenantAsync();
        var owner = await UserAsync(tenantId, "owner");
        var friend = await UserAsync(tenantId, "friend");
        var stranger = await UserAsync(otherTenant, "stranger");
        var contacts = Cluster.GetGrain<IContactsGrain>(owner);

        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "remark", () => contacts.SaveAsync(friend, new ContactUpdate(new string('r', 101))));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "contactId", () => contacts.SaveAsync(owner, new ContactUpdate()));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() => contacts.SaveAsync(stranger, new ContactUpdate()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() => contacts.SaveAsync(Ids.New(), new ContactUpdate()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() => contacts.SaveAsync("NOT AN ID", new ContactUpdate()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() =>
            Cluster.GetGrain<IContactsGrain>(Ids.New()).SaveAsync(friend, new ContactUpdate()))).Code);
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "limit", () => contacts.ListAsync(null, 0));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "after", () => contacts.ListAsync("%%%", 10));
        Assert.Empty((await contacts.ListAsync(null, 10)).Items);
    }

    [Fact]
    public async Task Client_versions_are_published_listed_checked_and_deleted()
    {
        var tenantId = await TenantAsync();
        var appId = Ids.New();
        await Cluster.GetGrain<IAppGrain>(appId).CreateAsync(new NewApp(tenantId, "mobile"));
        var versions = Cluster.GetGrain<IClientVersionsGrain>(appId);

        var v1 = await versions.PublishAsync(new NewClientVersion(2, 10, "1.0", "https://dl.example/10", "first"));
        var v2 = await versions.PublishAsync(new NewClientVersion(2, 11, "1.1", "https://dl.example/11"));
        var android = await versions.PublishAsync(new NewClientVersion(1, 500, "5.0", "https://dl.example/500"));

        Assert.Equal(new[] { android, v2, v1 }, await versions.ListAsync());
        Assert.Equal(new[] { v2, v1 }, await versions.ListAsync(2));
        Assert.Equal(new ClientUpdateCheck(true, v2), await versions.CheckUpdateAsync(2, 10));
        Assert.Equal(new ClientUpdateCheck(false, v2), await versions.CheckUpdateAsync(2, 11));
        Assert.Equal(new ClientUpdateCheck(false, v2), await versions.CheckUpdateAsync(2, 12));
        Assert.Equal(new ClientUpdateCheck(false, null), await versions.CheckUpdateAsync(16, 0));

        Assert.True(await versions.DeleteAsync(2, 11));
        Assert.False(await versions.DeleteAsync(2, 11));
        Assert.Equal(new ClientUpdateCheck(false, v1), await versions.CheckUpdateAsync(2, 10));
        Assert.Equal(new[] { android, v1 }, await versions.ListAsync());
    }

    [Fact]
    public async Task Client_versions_refuse_bad_input_with_stable_codes()
    {
        var tenantId = await TenantAsync();
        var appId = Ids.New();
        await Cluster.GetGrain<IAppGrain>(appId).CreateAsync(new NewApp(tenantId, "mobile"));
        var versions = Cluster.GetGrain<IClientVersionsGrain>(appId);
        await versions.PublishAsync(new NewClientVersion(4, 1, "1", "https://dl.example/1"));

        await AssertRefusedAsync(ErrorCodes.Conflict, "versionCode", () => versions.PublishAsync(new NewClientVersion(4, 1, "again", "https://dl.example/1b")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "terminalType", () => versions.PublishAsync(new NewClientVersion(6, 2, "2", "https://dl.example/2")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "versionCode", () => versions.PublishAsync(new NewClientVersion(4, 0, "2", "https://dl.example/2")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "versionName", () => versions.PublishAsync(new NewClientVersion(4, 2, new string('n', 65), "https://dl.example/2")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "downloadUrl", () => versions.PublishAsync(new NewClientVersion(4, 2, "2", "/relative/path")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "downloadUrl", () => versions.PublishAsync(new NewClientVersion(4, 2, "2", "")));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "terminalType", () => versions.CheckUpdateAsync(31, 1));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "versionCode", () => versions.CheckUpdateAsync(4, -1));
        await AssertRefusedAsync(ErrorCodes.ValidationFailed, "terminalType", () => versions.ListAsync(0));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(() =>
            Cluster.GetGrain<IClientVersionsGrain>(Ids.New()).PublishAsync(new NewClientVersion(4, 1, "1", "https://dl.example/1")))).Code);
        Assert.Single(await versions.ListAsync());
    }

    private async Task<string> TenantAsync()
    {
        var id = Ids.New();
        await Cluster.GetGrain<ITenantGrain>(id).CreateAsync("grain tenant");
        return id;
    }

    private async Task<string> UserAsync(string tenantId, string username)
    {
        var id = Ids.New();
        await Cluster.GetGrain<IUserGrain>(id).CreateAsync(new NewUser(tenantId, username, "long password"));
        return id;
    }

    private static async Task AssertRefusedAsync(string code, string field, Func<Task> call)
    {
        var refusal = await Assert.ThrowsAsync<AppMsgException>(call);
        Assert.Equal(code, refusal.Code);
        Assert.NotNull(refusal.Errors);
        Assert.True(refusal.Errors.ContainsKey(field), $"{refusal.Message}: no error for {field}");
    }

    private static string Hash(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
