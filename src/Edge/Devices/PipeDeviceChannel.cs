using System.Buffers;
using System.IO.Pipelines;

namespace AppMsg.Edge.Devices;

/// <summary>Binary frames written to a TCP connection's pipe.</summary>
public sealed class PipeDeviceChannel(PipeWriter output) : BinaryDeviceChannel
{
    private readonly SemaphoreSlim writeLock = new(1, 1);

    public override string Transport => "tcp";

    protected override async ValueTask WriteAsync<TState>(TState state, Action<IBufferWriter<byte>, TState> write)
    {
        await writeLock.WaitAsync();
        try
        {
            write(output, state);
            await output.FlushAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // The connection is gone; its read loop ends it.
        }
        finally
        {
            writeLock.Release();
        }
    }
}
