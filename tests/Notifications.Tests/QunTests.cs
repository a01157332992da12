using System.Net;
using System.Security.Cryptography;
using AppMsg.Protocol;
using AppMsg.Testing;

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
}
