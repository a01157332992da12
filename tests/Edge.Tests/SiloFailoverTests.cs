using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Sessions;
using AppMsg.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace AppMsg.Edge.Tests;

/// <summary>
/// Two silo processes, devices on two edges: <c>kill -9</c> of one silo during traffic. Within the bound every device
/// still connected gets direct and qun messages live again without reconnecting, and presence lists it. (Before the
/// edge became the source of truth, most devices whose user's grains had been on the dead silo got nothing live.)
/// </summary>
public sealed class SiloFailoverTests : IAsyncLifetime
{
    private const int Users = 16;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly string SiloDll = typeof(Silo.SiloSettings).Assembly.Location;

    private readonly List<Process> silos = [];
    private readonly List<StringBuilder> siloOutput = [];
    private PostgresServer? postgres;
    private AppMsgDeployment? deployment;

    public async Task InitializeAsync()
    {
        // Two silos and two edges with the default connection budgets (docs/resources.md).
        postgres = await PostgresServer.StartAsync(maxConnections: 200);
        deployment = await AppMsgDeployment.CreateAsync(postgres);
    }

    [Fact]
    public async Task Devices_get_direct_and_qun_messages_live_again_within_the_bound_after_a_silo_is_killed()
    {
        StartSilo("silo-a");
        StartSilo("silo-b");
        var edges = new[] { await deployment!.StartEdgeAsync(deployment.EdgeSettings("edge-1")), await deployment.StartEdgeAsync(deployment.EdgeSettings("edge-2")) };
        var cluster = edges[0].Services.GetRequiredService<IClusterClient>();
        await Eventually.ReturnsAsync(async () => (await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count, n => n == 2,
            TimeSpan.FromSeconds(90), "two active silos");
        using var api = new ApiClient(new Uri($"http://127.0.0.1:{edges[0].Services.GetRequiredService<EdgeSettings>().HttpPort}"));
        var admin = deployment.AdminKey;

        var tenantId = (await api.PostAsync("/v1/tenants", new { name = "failover" }, admin)).Expect(HttpStatusCode.Created)["id"];
        var devices = new List<Listener>();
        var userIds = new List<string>();
        for (var i = 0; i < Users; i++)
        {
            var username = $"u{i}";
            var userId = (await api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse" }, admin)).Expect(HttpStatusCode.Created)["id"];
            userIds.Add(userId);
        }

        var qunId = (await api.PostAsync("/v1/quns", new { tenantId, name = "all", ownerId = userIds[0], members = userIds.Skip(1).ToArray() }, admin))
            .Expect(HttpStatusCode.Created)["id"];
        for (var i = 0; i < Users; i++)
        {
            var token = (await api.PostAsync("/v1/auth/login", new { tenantId, username = $"u{i}", password = "correct horse", terminalType = 1 }))
                .Expect(HttpStatusCode.OK)["token"];
            var edge = edges[i % 2];
            var device = await RawDevice.ConnectAsync(edge.Services.GetRequiredService<EdgeSettings>().TcpPort);
            Assert.Equal(0, (await device.RegisterAsync(userIds[i], token)).Code);
            devices.Add(new Listener(device));
        }

        try
        {
            // Before: everything live; the users' grains spread over both silos.
            await SendToAllAsync(api, admin, userIds, qunId, "before");
            await AllReceivedLiveAsync(devices, "before", TimeSpan.FromSeconds(10));

            var killed = silos[1];
            killed.Kill();
            var killedAt = Stopwatch.StartNew();

            // Sends go on meanwhile: each is answered (after retries) or refused as unavailable, never lost.
            var accepted = 0;
            while (killedAt.Elapsed < Bound)
            {
                var status = (await api.PostAsync("/v1/messages", new { to = new[] { $"{userIds[accepted % Users]}@user" }, type = "text", content = new { text = "during" } }, admin)).Status;
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"a send during the failover answered {status}");
                accepted += status == HttpStatusCode.OK ? 1 : 0;
                await Task.Delay(200);
            }

            await SendToAllAsync(api, admin, userIds, qunId, "after");
            await AllReceivedLiveAsync(devices, "after", TimeSpan.FromSeconds(3));
            foreach (var userId in userIds)
            {
                Assert.Single(await cluster.GetGrain<IUserSessionsGrain>(userId).GetSessionsAsync());
            }

            Assert.True(accepted > 0, "no send was accepted while the dead silo was being detected");
        }
        catch (Exception) when (Dump())
        {
            throw;
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (deployment is not null)
        {
            await deployment.DisposeAsync();
        }

        foreach (var silo in silos)
        {
            if (!silo.HasExited)
            {
                silo.Kill(entireProcessTree: true);
            }

            silo.Dispose();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    private void StartSilo(string name)
    {
        var process = ProcessRunner.Start("dotnet", [SiloDll], new Dictionary<string, string?>
        {
            ["ConnectionStrings__AppMsg"] = deployment!.ConnectionString,
            ["APPMSG_CLUSTER_ID"] = deployment.ClusterId,
            ["APPMSG_SERVICE_ID"] = deployment.ClusterId,
            ["APPMSG_SILO_NAME"] = name,
            ["APPMSG_SILO_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_GATEWAY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_METRICS_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_PASSWORD_ITERATIONS"] = "1000",
        }, out var output);
        silos.Add(process);
        siloOutput.Add(output);
    }

    private static async Task SendToAllAsync(ApiClient api, string admin, List<string> userIds, string qunId, string text)
    {
        foreach (var userId in userIds)
        {
            (await api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = $"{text} direct" } }, admin))
                .Expect(HttpStatusCode.OK);
        }

        (await api.PostAsync("/v1/messages", new { to = new[] { $"{qunId}@qun" }, type = "text", content = new { text = $"{text} qun" } }, admin))
            .Expect(HttpStatusCode.OK);
    }

    private static async Task AllReceivedLiveAsync(List<Listener> devices, string text, TimeSpan within)
    {
        foreach (var expected in new[] { $"{text} direct", $"{text} qun" })
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(devices.Count(d => d.GotLive(expected))), n => n == devices.Count, within,
                $"every device got '{expected}' live; missing on {string.Join(", ", devices.Select((d, i) => (d, i)).Where(x => !x.d.GotLive(expected)).Select(x => x.i))}");
        }
    }

    private bool Dump()
    {
        foreach (var output in siloOutput)
        {
            lock (output)
            {
                Console.WriteLine(output.ToString()[^Math.Min(output.Length, 4000)..]);
            }
        }

        return false;
    }

    /// <summary>A device that acknowledges everything it gets and remembers each message's text and whether it came live.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        private readonly RawDevice device;
        private readonly ConcurrentDictionary<string, bool> live = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource stop = new();
        private readonly Task reading;

        public Listener(RawDevice device)
        {
            this.device = device;
            reading = Task.Run(ReadAsync);
        }

        public bool GotLive(string text) => live.TryGetValue(text, out var wasLive) && wasLive;

        private async Task ReadAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                ReceivedFrame frame;
                try
                {
                    frame = await device.ReceiveAsync(TimeSpan.FromSeconds(5));
                }
                catch (OperationCanceledException)
                {
                    // Quiet for a while (the idle limit is ten minutes: no PING needed in this test).
                    continue;
                }
                catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
                {
                    return;
                }

                if (frame.Type is MessageType.Push or MessageType.Im)
                {
                    var text = frame.Envelope().GetProperty("content").GetProperty("text").GetString()!;
                    var wasLive = frame.Type == MessageType.Im || frame.Offline() == 0;
                    live.AddOrUpdate(text, wasLive, (_, before) => before || wasLive);
                    await device.AcknowledgeAsync(frame);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await device.DisposeAsync();
            await reading.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            stop.Dispose();
        }
    }
}
