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
        var qun = await CrowdedQun.CreateAsync(system, "member", Members);
        var devices = new RawDevice[Members];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Members), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                devices[i] = await qun.ConnectAsync(system, i));

            (await system.Api.PostAsync("/v1/messages", new { to = new[] { qun.Timeline }, type = "text", content = new { text = "all hands" } }, system.AdminKey))
                .Expect(HttpStatusCode.OK);

            var received = 0;
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (device, _) =>
            {
                var push = await device.ReceiveAsync(TimeSpan.FromSeconds(30));
                if (push.Type == MessageType.Push && push.Envelope().GetProperty("timeline").GetString() == qun.Timeline)
                {
                    Interlocked.Increment(ref received);
                }
            });

            Assert.Equal(Members, received);
        }
        finally
        {
            foreach (var device in devices.Where(d => d is not null))
            {
                await device.DisposeAsync();
            }
        }
    }
}
