using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>A terminal that names its device at REGISTER keeps its own read position (issue 15).</summary>
public sealed class DeviceReadPositionTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Two_android_phones_of_one_user_each_get_every_message_and_each_replays_what_it_missed()
    {
        var (tenantId, userId) = await system.NewUserAsync(new { oneSessionPerTerminalType = false });
        var token = await system.LoginAsync(tenantId, userId);
        await using (var phoneA = await RegisteredAsync(userId, token, "phone-a"))
        await using (var phoneB = await RegisteredAsync(userId, token, "phone-b"))
        {
            await system.WaitUntilLiveAsync(userId);
            for (var i = 1; i <= 3; i++)
            {
                await SendAsync(userId, $"m{i}");
            }

            // Both get all three; only phone A acknowledges them.
            for (var i = 1; i <= 3; i++)
            {
                var atA = await phoneA.ReceiveAsync();
                Assert.Equal(i, atA.Envelope().GetProperty("seq").GetInt64());
                await phoneA.AcknowledgeAsync(atA);
                Assert.Equal(i, (await phoneB.ReceiveAsync()).Envelope().GetProperty("seq").GetInt64());
            }

            await Task.Delay(Quiet); // the edge hands cursors over every second
        }

        await SendAsync(userId, "m4");

        // Phone A missed only m4; phone B acknowledged nothing, so all four come back to it, in order.
        await using (var phoneA = await RegisteredAsync(userId, token, "phone-a"))
        {
            var missed = await phoneA.ReceiveAsync();
            Assert.Equal(4, missed.Envelope().GetProperty("seq").GetInt64());
            Assert.NotEqual(0, missed.Offline());
            await phoneA.AcknowledgeAsync(missed);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => phoneA.ReceiveAsync(Quiet));
        }

        await using (var phoneB = await RegisteredAsync(userId, token, "phone-b"))
        {
            for (var i = 1; i <= 4; i++)
            {
                var replayed = await phoneB.ReceiveAsync();
                Assert.Equal(i, replayed.Envelope().GetProperty("seq").GetInt64());
                await phoneB.AcknowledgeAsync(replayed);
            }

            await Task.Delay(Quiet);
        }

        // The positions survive the cursor grain's deactivation (stored per device).
        await system.Cluster.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var cursors = system.Cluster.GetGrain<Messaging.IUserCursorsGrain>(userId);
        await Eventually.ReturnsAsync(() => cursors.GetReaderAsync((int)TerminalType.Android, "phone-b"), c => c.GetValueOrDefault($"{userId}@user") == 4,
            TimeSpan.FromSeconds(10), "phone B's inbox cursor at 4");
        Assert.Equal(4, (await cursors.GetReaderAsync((int)TerminalType.Android, "phone-a"))[$"{userId}@user"]);

        // A terminal that names no device reads the position shared by its type, which neither phone moved.
        await using var legacy = await RegisteredAsync(userId, token, deviceId: "");
        Assert.Equal(1, (await legacy.ReceiveAsync()).Envelope().GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_device_id_that_is_not_printable_ascii_closes_the_connection_without_an_answer()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        var body = new byte[ProtocolLimits.RegisterWithDeviceBodyLength];
        RegisterBody.Write(new RegisterRequest(1, TerminalType.Android, userId, token), body);
        body[ProtocolLimits.RegisterBodyLength] = 0x07;
        await device.SendFrameAsync(MessageType.Register, 1, body);
        Assert.True(await device.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    private Task SendAsync(string userId, string text) =>
        system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text } }, system.AdminKey)
            .ContinueWith(t => t.Result.Expect(HttpStatusCode.OK), TaskScheduler.Default);

    private async Task<RawDevice> RegisteredAsync(string userId, string token, string deviceId)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, token, deviceId: deviceId)).Code);
        return device;
    }
}
