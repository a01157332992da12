using System.Net;
using System.Security.Cryptography;
using AppMsg.Protocol;
using AppMsg.Testing;
using Orleans.Runtime;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class QunTests(NotificationSystem system)
{
    [Fact]
    public async Task A_thousand_member_qun_message_yields_exactly_one_request_per_offline_registered_device()
    {
        var (tenantId, owner) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var members = new string[999];
        await Parallel.ForEachAsync(Enumerable.Range(0, members.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            members[i] = await system.NewUserInAsync(tenantId));
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "big", ownerId = owner, maxMembers = 2000 }, credential)).Expect(HttpStatusCode.Created)["id"];
        foreach (var chunk in members.Chunk(200))
        {
            (await system.Api.PostAsync($"/v1/quns/{qunId}/members", new { userIds = chunk }, credential)).Expect(HttpStatusCode.NoContent);
        }

        // Half the members have an iPhone registered; one of those is online on iOS (and acknowledges), one has two devices.
        var registered = members.Where((_, i) => i % 2 == 0).ToArray();
        var tokens = new string[registered.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, registered.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            tokens[i] = await system.RegisterIosAsync(registered[i], appId, credential));
        var secondToken = await system.RegisterIosAsync(registered[1], appId, credential, deviceId: "ipad");
        await using var online = await system.DeviceAsync(tenantId, registered[0], TerminalType.Ios);

        var ownerToken = await system.LoginAsync(tenantId, owner);
        var messageId = await system.SendAsync($"{qunId}@qun", "to everyone", ownerToken);
        await online.AcknowledgeAsync(await online.ReceiveAsync(TimeSpan.FromSeconds(10)));

        var expected = tokens.Skip(1).Append(secondToken).ToHashSet();
        await Eventually.ReturnsAsync(
            () => Task.FromResult(system.Providers.Requests.Count(r => expected.Contains(r.Target))),
            n => n >= expected.Count, TimeSpan.FromSeconds(60), $"{expected.Count} APNs requests");
        await Task.Delay(NotificationSystem.AckDelay + TimeSpan.FromSeconds(1));
        var requests = system.Providers.Requests.Where(r => r.Body.ValueKind == System.Text.Json.JsonValueKind.Object
            && r.Body.TryGetProperty("messageId", out var id) && id.GetString() == messageId).ToList();
        Assert.Equal(expected.Count, requests.Count);
        Assert.Equal(expected, requests.Select(r => r.Target).ToHashSet());
        Assert.All(requests, r => Assert.True(r.Valid));
    }

    [Fact]
    public async Task A_message_to_a_cold_thousand_member_qun_notifies_every_member_but_a_muted_one_without_activating_their_user_grains()
    {
        var qun = await CrowdedQun.CreateAsync(system, "cold" + Guid.NewGuid().ToString("N")[..6], 1000);
        var (appId, credential) = await system.NewAppAsync(qun.TenantId);
        await system.SetUpApnsAsync(appId, credential);
        var tokens = new string[qun.Members.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, tokens.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            tokens[i] = await system.RegisterIosAsync(qun.Members[i].Id, appId, credential));
        var muting = qun.Members[7].Id;
        (await system.Api.PutAsync($"/v1/users/{muting}/mutes/{appId}@app", new { }, credential)).Expect(HttpStatusCode.NoContent);

        // Everything the setup activated goes; the message must not bring the members' user grains (nor their conversation lists) back.
        var management = system.Cluster.GetGrain<IManagementGrain>(0);
        Assert.True((await GrainActivations.CountAsync(management)).GetValueOrDefault("UserGrain") >= 1000, "the setup activated the members' user grains (the name counted is right)");
        await management.ForceActivationCollection(TimeSpan.Zero);
        var before = await GrainActivations.CountAsync(management);
        Assert.True(before.GetValueOrDefault("UserGrain") < 100, $"the collection left {before.GetValueOrDefault("UserGrain")} user grains: the qun is not cold");

        var messageId = await system.SendAsync(qun.Timeline, "to the cold qun", credential);
        var expected = tokens.Where((_, i) => i != 7).ToHashSet();
        await Eventually.ReturnsAsync(
            () => Task.FromResult(RequestsFor(messageId).Count),
            n => n >= expected.Count, TimeSpan.FromSeconds(60), $"{expected.Count} APNs requests");
        var after = await GrainActivations.CountAsync(management);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var requests = RequestsFor(messageId);
        Assert.Equal(expected.Count, requests.Count);
        Assert.Equal(expected, requests.Select(r => r.Target).ToHashSet());
        Assert.Empty(system.Providers.For(tokens[7]));
        Assert.All(requests, r => Assert.True(r.Valid));
        Assert.True(GrainActivations.Added(before, after, "UserGrain") == 0, $"user grains activated: {GrainActivations.Added(before, after, "UserGrain")}");
        Assert.True(GrainActivations.Added(before, after, "UserConversationsGrain") == 0,
            $"conversation lists activated: {GrainActivations.Added(before, after, "UserConversationsGrain")}");
    }

    private List<ProviderRequest> RequestsFor(string messageId) =>
        [.. system.Providers.Requests.Where(r => r.Body.ValueKind == System.Text.Json.JsonValueKind.Object
            && r.Body.TryGetProperty("messageId", out var id) && id.GetString() == messageId)];
}
