using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AppMsg.Edge.Devices;

/// <summary>
/// The plain binary port (<see cref="EdgeSettings.TcpPort"/>): an accept loop over a <see cref="Socket"/> of its own, not
/// Kestrel's connection machinery, so that an idle device costs little more than its socket (docs/edge.md, "Memory per
/// connection"). Each connection is a <see cref="SocketDeviceReceiver"/>; once a second every one is checked against its
/// read deadline. Stopping stops accepting; the devices already connected are told to go elsewhere by
/// <see cref="EdgeHeartbeatService"/>.
/// </summary>
public sealed partial class SocketDeviceListener(DeviceServices services, EdgeSettings settings, ILogger<SocketDeviceListener> logger)
    : BackgroundService
{
    /// <summary>Connections the kernel may hold accepted but not yet taken by the accept loop (a reconnect storm's queue).</summary>
    public const int Backlog = 4096;

    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddr = 2;

    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<SocketDeviceReceiver, byte> open = new();
    private Socket? listener;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bound before the host reports started, as Kestrel's ports are.
        listener = Bind(settings.TcpPort);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        listener?.Dispose();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        listener?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweep = SweepAsync(stoppingToken);
        await AcceptAsync(listener!, stoppingToken);
        await sweep;
    }

    private static Socket Bind(int port)
    {
        var dualMode = Socket.OSSupportsIPv6;
        var socket = new Socket(dualMode ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (dualMode)
            {
                socket.DualMode = true;
            }

            if (OperatingSystem.IsLinux())
            {
                // SO_REUSEADDR alone, as Kestrel sets it: a restarted edge binds while old connections linger in TIME_WAIT.
                // (SocketOptionName.ReuseAddress may add SO_REUSEPORT, which would let a second edge share the port.)
                socket.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddr, BitConverter.GetBytes(1));
            }

            socket.Bind(new IPEndPoint(dualMode ? IPAddress.IPv6Any : IPAddress.Any, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptAsync(Socket listening, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors, most likely: the connections waiting in the backlog are taken once some close.
                LogAcceptFailed(logger, e.SocketErrorCode, e.Message);
                try
                {
                    await Task.Delay(AcceptRetry, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                accepted.NoDelay = true;
                _ = new SocketDeviceReceiver(accepted, services).RunAsync(open);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Gone before it was served.
                accepted.Dispose();
            }
        }
    }

    private async Task SweepAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SweepPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var now = Environment.TickCount64;
                foreach (var (receiver, _) in open)
                {
                    receiver.CloseIfSilent(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a device connection failed ({Error}): {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error, string reason);
}
