using System.Text;
using AppMsg.Client;

namespace AppMsg.Bench.Systems;

/// <summary>
/// Members chatting: IM to the qun over binary TCP from a second terminal (PC) of each of the first few members (one
/// per concurrent publish call, taken in turn), answered (IMRESP 0) after the message is stored. The sending session is
/// left out of the fan-out, as IM is; the members' measured devices are other sessions and get every message.
/// </summary>
public sealed class AppMsgImPublisher : IBenchPublisher
{
    private readonly DeviceClient[] clients;
    private readonly Task[] draining;
    private int next;

    private AppMsgImPublisher(DeviceClient[] clients)
    {
        this.clients = clients;
        draining = [.. clients.Select(DrainAsync)];
    }

    /// <summary>Connects one device per (endpoint, user id, token).</summary>
    public static async Task<AppMsgImPublisher> ConnectAsync(IReadOnlyList<(string Endpoint, string UserId, string Token)> senders, CancellationToken cancellationToken)
    {
        var clients = new List<DeviceClient>();
        try
        {
            foreach (var (endpoint, userId, token) in senders)
            {
                clients.Add(await AppMsgDevices.ConnectAsync(endpoint, DeviceTransportKind.Tcp, userId, token, Protocol.TerminalType.Pc, cancellationToken));
            }
        }
        catch
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            throw;
        }

        return new AppMsgImPublisher([.. clients]);
    }

    public async Task PublishAsync(string group, string payload, CancellationToken cancellationToken)
    {
        var client = clients[(int)((uint)Interlocked.Increment(ref next) % (uint)clients.Length)];
        var result = await client.SendImAsync(Encoding.UTF8.GetBytes($"{{\"to\":\"{group}@qun\",\"type\":\"custom\",\"content\":{payload}}}"), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"IM to {group}@qun: IMRESP {(int)result.Code}");
        }
    }

    public Task PublishToUsersAsync(IReadOnlyList<BenchUser> users, string payload, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the IM publisher sends to its qun only");

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await Task.WhenAll(draining);
    }

    private static async Task DrainAsync(DeviceClient client)
    {
        await foreach (var _ in client.Events.ReadAllAsync())
        {
        }
    }
}
