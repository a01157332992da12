using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>
/// The edge's own TCP listener reads whatever way the bytes arrive: a frame a byte at a time, several frames in one
/// write, a frame larger than its first receive buffer (4 KiB).
/// </summary>
public sealed class SocketListenerTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    [Fact]
    public void A_second_process_cannot_take_the_port_of_a_running_edge()
    {
        // Even with SO_REUSEADDR on its side too: the edge sets that option alone, not SO_REUSEPORT, which would share the port.
        using var other = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        other.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
        var refused = Assert.Throws<SocketException>(() => other.Bind(new IPEndPoint(IPAddress.IPv6Any, system.TcpPort)));
        Assert.Equal(SocketError.AddressAlreadyInUse, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_register_sent_a_byte_at_a_time_is_answered()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteRegister(output, device.Encoding, 1, new RegisterRequest(1, TerminalType.Android, userId, token, ""));

        foreach (var b in output.WrittenMemory.ToArray())
        {
            await device.SendRawAsync(new[] { b });
            await Task.Delay(2);
        }

        var answer = await device.ReceiveAsync();
        Assert.Equal(MessageType.RegResp, answer.Type);
        Assert.Equal(0, answer.Code);
    }

    [Fact]
    public async Task Frames_in_one_write_are_answered_in_order()
    {
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        var output = new ArrayBufferWriter<byte>();
        for (var tid = 1u; tid <= 20; tid++)
        {
            FrameWriter.WritePing(output, device.Encoding, tid);
        }

        await device.SendRawAsync(output.WrittenMemory);

        for (var tid = 1u; tid <= 20; tid++)
        {
            var pong = await device.ReceiveAsync();
            Assert.Equal(MessageType.Pong, pong.Type);
            Assert.Equal(tid, pong.Tid);
        }
    }

    [Fact]
    public async Task An_im_larger_than_the_first_receive_buffer_arrives_whole()
    {
        var (tenantId, sender) = await system.NewUserAsync();
        var receiver = await system.NewUserInTenantAsync(tenantId);
        await using var sending = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await sending.RegisterAsync(sender, await system.LoginAsync(tenantId, sender))).Code);
        await using var receiving = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await receiving.RegisterAsync(receiver, await system.LoginAsync(tenantId, receiver))).Code);

        // Under the edge's body limit in these tests (4,096), over its first receive buffer with the header.
        var text = string.Concat(Enumerable.Range(0, 4_000).Select(i => (char)('a' + (i * 7 % 26))));
        var body = Encoding.UTF8.GetBytes("{\"to\":\"" + receiver + "@user\",\"type\":\"text\",\"content\":{\"text\":\"" + text + "\"}}");
        Assert.InRange(body.Length, 4_000, 4_096);
        // Sent in two writes with a pause, so the frame is split across receives too.
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.Write(output, MessageType.Im, sending.Encoding, 7, body);
        await sending.SendRawAsync(output.WrittenMemory[..100]);
        await Task.Delay(50);
        await sending.SendRawAsync(output.WrittenMemory[100..]);

        var answer = await sending.ReceiveAsync();
        Assert.Equal(MessageType.ImResp, answer.Type);
        Assert.Equal((byte)ImResultCode.Ok, answer.Code);
        var delivered = await receiving.ReceiveAsync();
        Assert.Equal(MessageType.Im, delivered.Type);
        Assert.Contains(text, Encoding.UTF8.GetString(delivered.Body));
    }
}
