using System.Text;
using AppMsg.Client.Tests.Fake;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

/// <summary>The client against a scripted server on a real socket: framing, TID matching, acknowledgements, kicks, reconnects.</summary>
public sealed class FakeEdgeTests : IAsyncLifetime
{
    private const string Envelope = "{\"id\":\"m1\",\"timeline\":\"42@user\",\"seq\":1,\"type\":\"text\",\"content\":{\"text\":\"hello\"}}";
    private readonly FakeEdge edge = new();

    public static TheoryData<BodyEncoding> Encodings => [BodyEncoding.None, BodyEncoding.Not, BodyEncoding.PairSwap, BodyEncoding.RingXor];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await edge.DisposeAsync();

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Registers_receives_and_acknowledges_on_the_server_TIDs(BodyEncoding encoding)
    {
        // The same envelope comes as PUSH and as IM: this test is about framing, not duplicates.
        await using var client = Client(o => o with { BodyEncoding = encoding, TerminalType = TerminalType.Pc, DropDuplicates = false });
        var (device, registered) = await ConnectAsync(client);
        Assert.Equal(encoding, device.Encoding);
        Assert.Equal(new RegisterResult(RegisterResultCode.Ok, "fake-session", TimeSpan.FromSeconds(300), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)), registered);
        Assert.Equal(DeviceClientState.Registered, client.State);

        // Three frames in one write.
        var envelope = Encoding.UTF8.GetBytes(Envelope);
        var frames = device.Build((w, e) =>
        {
            FrameWriter.WritePush(w, e, 1000, offline: 2, flag: 1, envelope);
            FrameWriter.WriteImDown(w, e, 1001, 1, envelope);
            FrameWriter.WriteCallback(w, e, 1002, "{\"id\":\"cb1\",\"payload\":{\"q\":1}}"u8);
        });
        await device.SendAsync(frames);

        var push = await client.NextAsync<PushEvent>();
        Assert.Equal((1000u, (ushort)2, (byte)1, Envelope), (push.Tid, push.Offline, push.Flag, Encoding.UTF8.GetString(push.Envelope.Span)));
        var im = await client.NextAsync<ImEvent>();
        Assert.Equal((1001u, (byte)1, Envelope), (im.Tid, im.Flag, Encoding.UTF8.GetString(im.Envelope.Span)));
        var callback = await client.NextAsync<CallbackEvent>();
        Assert.Equal(1002u, callback.Tid);

        var pushResp = await device.ExpectAsync(MessageType.PushResp);
        Assert.Equal((1000u, encoding, (byte)0), (pushResp.Tid, pushResp.Encoding, pushResp.Code));
        var imResp = await device.ExpectAsync(MessageType.ImResp);
        Assert.Equal((1001u, (byte)0), (imResp.Tid, imResp.Code));

        await client.AnswerCallbackAsync(callback.Tid, 0, "done"u8.ToArray());
        var cbResp = await device.ExpectAsync(MessageType.CbResp);
        Assert.Equal((1002u, (byte)0, "done"), (cbResp.Tid, cbResp.Code, cbResp.Text(1)));
    }

    [Fact]
    public async Task The_device_id_goes_in_the_register()
    {
        await using var client = Client(o => o with { DeviceId = "phone-1" });
        var connect = client.ConnectAsync();
        var device = await edge.AcceptAsync();
        var request = await device.AcceptRegisterAsync();
        Assert.Equal(new RegisterRequest(1, client.Options.TerminalType, "42", "0123456789abcdef0123456789abcdef", "phone-1"), request);
        await connect.WaitAsync(EventReading.Patience);
    }

    [Fact]
    public async Task Without_auto_acknowledge_the_application_acknowledges()
    {
        await using var client = Client(o => o with { AutoAcknowledge = false });
        var (device, _) = await ConnectAsync(client);
        await device.SendAsync((w, e) => FrameWriter.WritePush(w, e, 7, 0, 0, Encoding.UTF8.GetBytes(Envelope)));
        var push = await client.NextAsync<PushEvent>();

        await client.AcknowledgeAsync(push.Tid, MessageType.PushResp, code: 0);
        var first = await device.ReadAsync();
        Assert.Equal((MessageType.PushResp, 7u), (first!.Type, first.Tid));
    }

    [Fact]
    public async Task Responses_are_matched_to_requests_by_TID_in_any_order()
    {
        await using var client = Client();
        var (device, _) = await ConnectAsync(client);

        var pings = Enumerable.Range(0, 3).Select(_ => client.PingAsync()).ToList();
        var received = new List<ReceivedFrame>();
        for (var i = 0; i < 3; i++)
        {
            received.Add(await device.ExpectAsync(MessageType.Ping));
        }

        Assert.Equal(3, received.Select(f => f.Tid).Distinct().Count());

        // Answer the last first; the middle one says "not registered".
        await device.SendAsync((w, e) =>
        {
            FrameWriter.WritePong(w, e, received[2].Tid, PongCode.Ok);
            FrameWriter.WritePong(w, e, received[1].Tid, PongCode.NotRegistered);
            FrameWriter.WritePong(w, e, received[0].Tid, PongCode.Ok);
        });
        Assert.Equal([PongCode.Ok, PongCode.NotRegistered, PongCode.Ok], await Task.WhenAll(pings));

        var send = client.SendImAsync("{\"to\":\"7@user\",\"type\":\"text\",\"content\":{\"text\":\"hi\"},\"clientMsgId\":\"c1\"}");
        var up = await device.ExpectAsync(MessageType.Im);
        Assert.Contains("\"clientMsgId\":\"c1\"", up.Text(), StringComparison.Ordinal);
        await device.SendAsync((w, e) =>
        {
            // A response of another type and one with an unknown TID are ignored.
            FrameWriter.WritePong(w, e, up.Tid, PongCode.Ok);
            FrameWriter.WriteImResponse(w, e, up.Tid + 1, ImResultCode.Failed);
            FrameWriter.WriteImResponse(w, e, up.Tid, ImResultCode.Ok, "{\"id\":\"m9\",\"timeline\":\"7@user\",\"seq\":3}"u8);
        });
        var result = await send;
        Assert.Equal((ImResultCode.Ok, "m9", "7@user", 3L), (result.Code, result.MessageId, result.Timeline, result.Seq));
        Assert.Equal(DeviceClientState.Registered, client.State);
    }

    [Fact]
    public async Task Concurrent_requests_and_acknowledgements_go_out_as_whole_frames()
    {
        await using var client = Client(o => o with { BodyEncoding = BodyEncoding.PairSwap, DropDuplicates = false });
        var (device, _) = await ConnectAsync(client);
        const int Count = 200;

        var pushes = device.SendAsync((w, e) =>
        {
            for (uint tid = 0; tid < Count; tid++)
            {
                FrameWriter.WritePush(w, e, tid, 0, 0, Encoding.UTF8.GetBytes(Envelope));
            }
        });
        var pings = Enumerable.Range(0, Count).Select(_ => Task.Run(() => client.PingAsync())).ToList();
        await pushes;

        var pingTids = new HashSet<uint>();
        var acknowledged = new HashSet<uint>();
        while (pingTids.Count < Count || acknowledged.Count < Count)
        {
            var frame = await device.ReadAsync() ?? throw new EndOfStreamException();
            if (frame.Type == MessageType.Ping)
            {
                Assert.True(pingTids.Add(frame.Tid));
                await device.SendAsync((w, e) => FrameWriter.WritePong(w, e, frame.Tid, PongCode.Ok));
            }
            else
            {
                Assert.Equal((MessageType.PushResp, BodyEncoding.PairSwap, (byte)0), (frame.Type, frame.Encoding, frame.Code));
                Assert.True(acknowledged.Add(frame.Tid));
            }
        }

        Assert.All(await Task.WhenAll(pings), code => Assert.Equal(PongCode.Ok, code));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (uint)i), acknowledged.Order());
    }

    [Fact]
    public async Task Frames_split_byte_by_byte_or_coalesced_arrive_whole()
    {
        await using var client = Client(o => o with { BodyEncoding = BodyEncoding.RingXor, DropDuplicates = false });
        var connect = client.ConnectAsync();
        var device = await edge.AcceptAsync();
        var register = await device.ExpectAsync(MessageType.Register);
        var answer = device.Build((w, _) =>
            FrameWriter.WriteRegisterResponse(w, BodyEncoding.RingXor, register.Tid, RegisterResultCode.Ok, "{\"sessionId\":\"split\"}"u8));
        var pushes = device.Build((w, _) =>
        {
            for (uint tid = 1; tid <= 3; tid++)
            {
                FrameWriter.WritePush(w, BodyEncoding.RingXor, tid, 0, 0, Encoding.UTF8.GetBytes(Envelope));
            }
        });

        await device.SendAsync([.. answer, .. pushes[..7]], chunk: 1);
        Assert.Equal("split", (await connect).SessionId);
        await device.SendAsync(pushes[7..], chunk: 13);

        for (uint tid = 1; tid <= 3; tid++)
        {
            var push = await client.NextAsync<PushEvent>();
            Assert.Equal((tid, Envelope), (push.Tid, Encoding.UTF8.GetString(push.Envelope.Span)));
        }
    }

    [Fact]
    public async Task SYNC_replays_as_pushes_and_its_answer_marks_the_end()
    {
        await using var client = Client();
        var (device, _) = await ConnectAsync(client);

        var sync = client.SyncAsync(new Dictionary<string, long> { ["42@user"] = 0 });
        var request = await device.ExpectAsync(MessageType.Sync);
        Assert.True(SyncRequest.TryParse(request.Body, out var cursors, out _));
        Assert.Equal(0, cursors.Cursors["42@user"]);
        await device.SendAsync((w, e) =>
        {
            FrameWriter.WritePush(w, e, 50, offline: 1, flag: 0, Encoding.UTF8.GetBytes(Envelope));
            FrameWriter.WriteSyncResponse(w, e, request.Tid, SyncResultCode.Ok, "{\"complete\":true}"u8);
        });

        Assert.True((await sync).Complete);
        Assert.Equal(1, (await client.NextAsync<PushEvent>()).Offline);
        var end = await client.NextAsync<SyncResponseEvent>();
        Assert.Equal((request.Tid, true), (end.Tid, end.Result.Complete));
    }

    [Fact]
    public async Task A_refused_registration_throws_with_the_code_and_does_not_retry()
    {
        await using var client = Client();
        var connect = client.ConnectAsync();
        var device = await edge.AcceptAsync();
        await device.AcceptRegisterAsync(RegisterResultCode.AuthenticationFailed);

        var error = await Assert.ThrowsAsync<DeviceRegistrationException>(() => connect);
        Assert.Equal(RegisterResultCode.AuthenticationFailed, error.Code);
        Assert.True(error.IsPermanent);
        Assert.Equal(DeviceClientState.Disconnected, client.State);
        Assert.True(await device.IsClosedByClientAsync());
        Assert.False(await edge.ConnectsWithinAsync(TimeSpan.FromMilliseconds(300)));
        Assert.True(await client.IsQuietForAsync(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task A_protocol_error_from_the_server_disconnects_then_the_client_reconnects_and_registers_again()
    {
        await using var client = Client();
        var (device, _) = await ConnectAsync(client);

        await device.SendAsync([0x00, 0, 0, 0, 1, 0, 0, 0, 0]);
        var disconnected = await client.NextAsync<DisconnectedEvent>();
        Assert.Contains("protocol error", disconnected.Reason, StringComparison.Ordinal);
        Assert.True(disconnected.WillReconnect);
        Assert.True(await device.IsClosedByClientAsync());

        var again = await edge.AcceptAsync();
        await again.AcceptRegisterAsync(json: "{\"sessionId\":\"second\"}");
        var reconnected = await client.NextAsync<ReconnectedEvent>();
        Assert.Equal(("second", 1), (reconnected.Registration.SessionId, reconnected.Attempts));
        Assert.Equal(DeviceClientState.Registered, client.State);
        Assert.Equal("second", client.Registration?.SessionId);

        var ping = client.PingAsync();
        var frame = await again.ExpectAsync(MessageType.Ping);
        await again.SendAsync((w, e) => FrameWriter.WritePong(w, e, frame.Tid, PongCode.Ok));
        Assert.Equal(PongCode.Ok, await ping);
    }

    [Fact]
    public async Task Reconnecting_retries_failed_attempts_with_backoff_and_queues_the_replay_after_Reconnected()
    {
        await using var client = Client();
        var (device, _) = await ConnectAsync(client);
        device.Close();
        Assert.True((await client.NextAsync<DisconnectedEvent>()).WillReconnect);

        // Two attempts fail: one cut at once, one refused as busy.
        (await edge.AcceptAsync()).Close();
        await (await edge.AcceptAsync()).AcceptRegisterAsync(RegisterResultCode.Busy);

        var third = await edge.AcceptAsync();
        var register = await third.ExpectAsync(MessageType.Register);
        await third.SendAsync((w, e) =>
        {
            FrameWriter.WriteRegisterResponse(w, e, register.Tid, RegisterResultCode.Ok, "{\"sessionId\":\"third\"}"u8);
            FrameWriter.WritePush(w, e, 99, offline: 1, flag: 0, Encoding.UTF8.GetBytes(Envelope));
        });

        var reconnected = await client.NextAsync<ReconnectedEvent>();
        Assert.Equal(("third", 3), (reconnected.Registration.SessionId, reconnected.Attempts));
        Assert.Equal(99u, (await client.NextAsync<PushEvent>()).Tid);
    }

    [Theory]
    [InlineData(KickReason.AnotherLogin, false)]
    [InlineData(KickReason.MobileExclusion, false)]
    [InlineData(KickReason.LoggedOut, false)]
    [InlineData(KickReason.SessionTimeout, true)]
    [InlineData(KickReason.EdgeDraining, true)]
    public async Task A_kick_is_acknowledged_and_only_some_reasons_allow_reconnecting(KickReason reason, bool reconnects)
    {
        await using var client = Client();
        var (device, _) = await ConnectAsync(client);

        await device.SendAsync((w, e) => FrameWriter.WriteKick(w, e, 5555, reason));
        Assert.Equal(reason, (await client.NextAsync<KickEvent>()).Reason);
        var kickResp = await device.ExpectAsync(MessageType.KickResp);
        Assert.Equal((5555u, (byte)0), (kickResp.Tid, kickResp.Code));
        Assert.True(await device.IsClosedByClientAsync());

        var disconnected = await client.NextAsync<DisconnectedEvent>();
        Assert.Equal((reason, reconnects), (disconnected.Kick, disconnected.WillReconnect));
        if (reconnects)
        {
            await (await edge.AcceptAsync()).AcceptRegisterAsync();
            await client.NextAsync<ReconnectedEvent>();
        }
        else
        {
            Assert.Equal(DeviceClientState.Disconnected, client.State);
            Assert.False(await edge.ConnectsWithinAsync(TimeSpan.FromMilliseconds(300)));
            await Assert.ThrowsAsync<InvalidOperationException>(() => client.PingAsync());
        }
    }

    [Fact]
    public async Task The_heartbeat_pings_and_a_server_that_stops_answering_loses_the_connection()
    {
        await using var client = Client(o => o with { HeartbeatInterval = TimeSpan.FromMilliseconds(100), RequestTimeout = TimeSpan.FromSeconds(1) });
        var (device, _) = await ConnectAsync(client);

        for (var i = 0; i < 2; i++)
        {
            var ping = await device.ExpectAsync(MessageType.Ping);
            await device.SendAsync((w, e) => FrameWriter.WritePong(w, e, ping.Tid, PongCode.Ok));
        }

        await device.ExpectAsync(MessageType.Ping);
        var disconnected = await client.NextAsync<DisconnectedEvent>();
        Assert.Contains("heartbeat", disconnected.Reason, StringComparison.Ordinal);
        Assert.True(disconnected.WillReconnect);
        await (await edge.AcceptAsync()).AcceptRegisterAsync();
        await client.NextAsync<ReconnectedEvent>();
    }

    [Fact]
    public async Task A_request_without_answer_times_out_and_the_connection_stays()
    {
        // Long enough for the REGISTER round trip on a loaded machine; the unanswered SYNC then times out.
        await using var client = Client(o => o with { RequestTimeout = TimeSpan.FromSeconds(1) });
        var (device, _) = await ConnectAsync(client);

        await Assert.ThrowsAsync<TimeoutException>(() => client.SyncAsync());
        var sync = await device.ExpectAsync(MessageType.Sync);
        Assert.Equal("{}", sync.Text());

        // The late answer is ignored; the connection still works.
        await device.SendAsync((w, e) => FrameWriter.WriteSyncResponse(w, e, sync.Tid, SyncResultCode.Ok, "{\"complete\":true}"u8));
        Assert.IsType<SyncResponseEvent>(await client.Events.ReadAsync().AsTask().WaitAsync(EventReading.Patience));
        var ping = client.PingAsync();
        var frame = await device.ExpectAsync(MessageType.Ping);
        await device.SendAsync((w, e) => FrameWriter.WritePong(w, e, frame.Tid, PongCode.Ok));
        Assert.Equal(PongCode.Ok, await ping);
    }

    [Fact]
    public async Task A_connection_lost_while_a_request_waits_fails_the_request()
    {
        await using var client = Client(o => o with { Reconnect = false });
        var (device, _) = await ConnectAsync(client);
        var ping = client.PingAsync();
        await device.ExpectAsync(MessageType.Ping);
        device.Close();

        await Assert.ThrowsAsync<IOException>(() => ping);
        Assert.False((await client.NextAsync<DisconnectedEvent>()).WillReconnect);
        Assert.Equal(DeviceClientState.Disconnected, client.State);
    }

    [Fact]
    public async Task Disposing_closes_politely_completes_the_events_and_never_reconnects()
    {
        var client = Client();
        var (device, _) = await ConnectAsync(client);

        await client.DisposeAsync();

        Assert.True(await device.IsClosedByClientAsync());
        Assert.Equal(DeviceClientState.Closed, client.State);
        var events = new List<DeviceEvent>();
        await foreach (var e in client.Events.ReadAllAsync().WithCancellation(new CancellationTokenSource(EventReading.Patience).Token))
        {
            events.Add(e);
        }

        var last = Assert.IsType<DisconnectedEvent>(Assert.Single(events));
        Assert.Equal(("disposed", false), (last.Reason, last.WillReconnect));
        Assert.False(await edge.ConnectsWithinAsync(TimeSpan.FromMilliseconds(300)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ConnectAsync());
    }

    [Fact]
    public async Task Disposing_while_reconnecting_stops_the_retries()
    {
        var client = Client(o => o with { ReconnectInitialDelay = TimeSpan.FromMilliseconds(200), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) });
        var (device, _) = await ConnectAsync(client);
        device.Close();
        Assert.True((await client.NextAsync<DisconnectedEvent>()).WillReconnect);
        Assert.Equal(DeviceClientState.Connecting, client.State);

        await client.DisposeAsync();
        Assert.Equal(DeviceClientState.Closed, client.State);

        // With full jitter an attempt may have started before the dispose; none starts after it.
        edge.ForgetAccepted();
        Assert.False(await edge.ConnectsWithinAsync(TimeSpan.FromMilliseconds(400)));
    }

    private DeviceClient Client(Func<DeviceClientOptions, DeviceClientOptions>? configure = null)
    {
        var options = new DeviceClientOptions
        {
            Endpoint = edge.Endpoint,
            UserId = "42",
            Token = "0123456789abcdef0123456789abcdef",
            HeartbeatInterval = Timeout.InfiniteTimeSpan,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        return new DeviceClient(configure?.Invoke(options) ?? options);
    }

    private async Task<(FakeDevice Device, RegisterResult Result)> ConnectAsync(DeviceClient client)
    {
        var connect = client.ConnectAsync();
        var device = await edge.AcceptAsync();
        var request = await device.AcceptRegisterAsync();
        Assert.Equal(new RegisterRequest(1, client.Options.TerminalType, "42", "0123456789abcdef0123456789abcdef"), request);
        return (device, await connect.WaitAsync(EventReading.Patience));
    }
}
