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

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<FakeDevice> _accepted = Channel.CreateUnbounded<FakeDevice>();
    private readonly List<FakeDevice> _all = [];
    private readonly Task _acceptLoop;

    public FakeEdge()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The next device connection, in the order they were accepted.</summary>
    public async Task<FakeDevice> AcceptAsync() => await _accepted.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>Forgets the connections accepted so far (for example attempts made before a dispose).</summary>
    public void ForgetAccepted()
    {
        while (_accepted.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Whether a device connects within <paramref name="wait"/>.</summary>
    public async Task<bool> ConnectsWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await _accepted.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _acceptLoop;
        FakeDevice[] devices;
        lock (_all)
        {
            devices = [.. _all];
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
                socket = await _listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                _accepted.Writer.TryComplete();
                return;
            }

            var device = new FakeDevice(socket);
            lock (_all)
            {
                _all.Add(device);
            }

            _accepted.Writer.TryWrite(device);
        }
    }
}
