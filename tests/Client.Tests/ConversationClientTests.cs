using System.Net;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Client.Tests;

/// <summary>The client's conversation commands and events against the real edge (silo, edge and PostgreSQL), over TCP.</summary>
public sealed class ConversationClientTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly DeviceAccounts accounts = new(system);
    private readonly Dictionary<DeviceClient, List<DeviceEvent>> seen = [];

    [Fact]
    public async Task Sender_copies_read_marks_peer_reads_typing_and_recall_arrive_as_client_events()
    {
        var (alice, aliceToken) = await accounts.NewUserAsync(TerminalType.Android);
        var (bob, bobToken) = await accounts.NewUserAsync(TerminalType.Android);
        await using var alicePhone = await ConnectedAsync(alice, aliceToken, TerminalType.Android);
        await using var aliceDesktop = await ConnectedAsync(alice, await TokenAsync(alice, TerminalType.Pc), TerminalType.Pc);
        await using var bobPhone = await ConnectedAsync(bob, bobToken, TerminalType.Android);
        await using var bobDesktop = await ConnectedAsync(bob, await TokenAsync(bob, TerminalType.Pc), TerminalType.Pc);
        await system.WaitUntilLiveAsync(alice);
        await system.WaitUntilLiveAsync(bob);

        // Alice's terminals know their inbox timeline, so a seq missing there would be a gap they SYNC for.
        Assert.True((await bobPhone.SendImAsync($"{{\"to\":\"{alice}@user\",\"type\":\"text\",\"content\":{{\"text\":\"hi alice\"}}}}")).IsSuccess);
        await NextAsync<ImEvent>(alicePhone);
        await NextAsync<ImEvent>(aliceDesktop);
        await NextAsync<ImEvent>(bobDesktop); // bob's copy

        var sent = await alicePhone.SendImAsync($"{{\"to\":\"{bob}@user\",\"type\":\"text\",\"content\":{{\"text\":\"hi bob\"}}}}");
        Assert.True(sent.IsSuccess);
        Assert.NotNull(sent.SenderCopySeq);

        var copy = await NextAsync<ImEvent>(aliceDesktop);
        Assert.Equal(sent.MessageId, Envelope(copy.Envelope).GetProperty("id").GetString());
        Assert.Equal(sent.SenderCopySeq, Envelope(copy.Envelope).GetProperty("seq").GetInt64());
        var received = await NextAsync<ImEvent>(bobPhone);
        await NextAsync<ImEvent>(bobDesktop);
        var seq = Envelope(received.Envelope).GetProperty("seq").GetInt64();

        var mark = await bobPhone.MarkReadAsync($"{alice}@user", seq);
        Assert.True(mark.IsSuccess);
        var onDesktop = await NextAsync<ReadMarkEvent>(bobDesktop);
        Assert.Equal(new ReadMarkEvent($"{alice}@user", seq, 0), onDesktop);
        var peerRead = await NextAsync<PeerReadEvent>(alicePhone);
        Assert.Equal($"{bob}@user", peerRead.Conversation);
        Assert.Equal(sent.MessageId, peerRead.MessageId);

        Assert.True((await bobPhone.SendTypingAsync($"{alice}@user")).IsSuccess);
        Assert.Equal(new TypingEvent($"{bob}@user", $"{bob}@user"), await NextAsync<TypingEvent>(aliceDesktop));

        Assert.True((await alicePhone.RecallAsync($"{bob}@user", sent.MessageId!)).IsSuccess);
        var recall = await NextAsync<RecallEvent>(bobPhone);
        Assert.Equal(sent.MessageId, recall.MessageId);
        Assert.Equal($"{bob}@user", recall.Timeline);
        Assert.Equal(seq, recall.Seq);
        Assert.Equal($"{alice}@user", recall.RecalledBy);
        Assert.Equal(sent.MessageId, (await NextAsync<RecallEvent>(aliceDesktop)).MessageId);

        // The sending terminal is not sent its own copy, and does not take its seq for a gap and SYNC it back either.
        var phoneSaw = seen.GetValueOrDefault(alicePhone, []).Concat(await DrainAsync(alicePhone));
        Assert.DoesNotContain(phoneSaw, e => e is ImEvent im && Envelope(im.Envelope).GetProperty("id").GetString() == sent.MessageId
            && Envelope(im.Envelope).GetProperty("type").GetString() == "text");
    }

    [Fact]
    public async Task A_recall_by_someone_else_is_not_allowed()
    {
        var (alice, aliceToken) = await accounts.NewUserAsync(TerminalType.Android);
        var (bob, bobToken) = await accounts.NewUserAsync(TerminalType.Android);
        await using var alicePhone = await ConnectedAsync(alice, aliceToken, TerminalType.Android);
        await using var bobPhone = await ConnectedAsync(bob, bobToken, TerminalType.Android);

        var sent = await alicePhone.SendImAsync($"{{\"to\":\"{bob}@user\",\"type\":\"text\",\"content\":{{\"text\":\"mine\"}}}}");
        Assert.Equal(ImResultCode.NotAllowed, (await bobPhone.RecallAsync($"{alice}@user", sent.MessageId!)).Code);
    }

    private async Task<DeviceClient> ConnectedAsync(string userId, string token, TerminalType terminalType)
    {
        var client = new DeviceClient(accounts.Options(DeviceTransportKind.Tcp, userId, token) with { TerminalType = terminalType });
        await client.ConnectAsync();
        return client;
    }

    private async Task<string> TokenAsync(string userId, TerminalType terminalType)
    {
        var username = (await system.Api.GetAsync($"/v1/users/{userId}", system.AdminKey)).Expect(HttpStatusCode.OK)["username"];
        return (await accounts.LoginAsync(username, terminalType)).Token;
    }

    private static JsonElement Envelope(ReadOnlyMemory<byte> envelope) => JsonDocument.Parse(envelope).RootElement.Clone();

    /// <summary>The next event of type <typeparamref name="T"/>, skipping others.</summary>
    private async Task<T> NextAsync<T>(DeviceClient client)
        where T : DeviceEvent
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var next = await client.Events.ReadAsync(deadline.Token);
            if (!seen.TryGetValue(client, out var list))
            {
                seen[client] = list = [];
            }

            list.Add(next);
            if (next is T wanted)
            {
                return wanted;
            }
        }
    }

    private static async Task<List<DeviceEvent>> DrainAsync(DeviceClient client)
    {
        var seen = new List<DeviceEvent>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        try
        {
            while (true)
            {
                seen.Add(await client.Events.ReadAsync(quiet.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return seen;
        }
    }
}
