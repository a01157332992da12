using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace AppMsg.Client.Tests.Fake;

/// <summary>
/// A scripted stand-in for the edge's TCP device port, on a real loopback socket: each test plays the server's
/// side frame by frame, so it can send what the real edge never would (split frames, garbage, silence).
/// </summary>
internal sealed class FakeEdge : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Channel<FakeDevice> accepted = Channel.CreateUnbounded<FakeDevice>();
    private readonly List<FakeDevice> all = [];
    private readonly Task acceptLoop;

    public FakeEdge()
    {
        listener.Start();
        acceptLoop = AcceptLoopAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>The next device connection, in the order they were accepted.</summary>
    public async Task<FakeDevice> AcceptAsync() => await accepted.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>Forgets the connections accepted so far (for example attempts made before a dispose).</summary>
    public void ForgetAccepted()
    {
        while (accepted.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Whether a device connects within <paramref name="wait"/>.</summary>
    public async Task<bool> ConnectsWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await accepted.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        await acceptLoop;
        FakeDevice[] devices;
        lock (all)
        {
            devices = [.. all];
        }

        foreach (var device in devices)
        {
            await device.DisposeAsync();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                accepted.Writer.TryComplete();
                return;
            }

            var device = new FakeDevice(socket);
            lock (all)
            {
                all.Add(device);
            }

            accepted.Writer.TryWrite(device);
        }
    }
}
