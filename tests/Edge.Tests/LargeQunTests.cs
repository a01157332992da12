using System.Collections.Concurrent;
using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class LargeQunTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const int Members = 1_000;

    [Fact]
    public async Task A_message_to_a_qun_of_1000_online_members_reaches_all_1000()
    {
        var tenantId = (await system.Api.PostAsync("/v1/tenants", new { name = "big" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var users = new ConcurrentBag<(string Id, string Username)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Members), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var username = $"member{i:D4}";
            var id = (await system.Api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
            users.Add((id, username));
        });
        var all = users.ToArray();
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "everyone", ownerId = all[0].Id, members = all.Skip(1).Select(u => u.Id).ToArray() }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];

        var devices = new ConcurrentBag<RawDevice>();
        try
        {
            await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, _) =>
            {
                var token = (await system.Api.PostAsync("/v1/auth/login", new { tenantId, username = user.Username, password = "correct horse", terminalType = 1 }))
                    .Expect(HttpStatusCode.OK)["token"];
                var device = await RawDevice.ConnectAsync(system.TcpPort);
                devices.Add(device);
                Assert.Equal(0, (await device.RegisterAsync(user.Id, token)).Code);
            });

            (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{qunId}@qun" }, type = "text", content = new { text = "all hands" } }, system.AdminKey))
                .Expect(HttpStatusCode.OK);

            var received = 0;
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (device, _) =>
            {
                var push = await device.ReceiveAsync(TimeSpan.FromSeconds(30));
                if (push.Type == MessageType.Push && push.Envelope().GetProperty("timeline").GetString() == $"{qunId}@qun")
                {
                    Interlocked.Increment(ref received);
                }
            });

            Assert.Equal(Members, received);
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }
}
