using System.Buffers;
using System.IO.Pipelines;

namespace AppMsg.Edge.Devices;

/// <summary>Binary frames written to a TCP connection's pipe: everything queued goes out with one flush.</summary>
public sealed class PipeDeviceChannel(PipeWriter output) : BinaryDeviceChannel
{
    public override string Transport => "tcp";

    protected override async ValueTask WriteAsync(ReadOnlyMemory<OutboundFrame> frames)
    {
        WriteAll(frames.Span);
        var flushed = await output.FlushAsync();
        if (flushed.IsCompleted || flushed.IsCanceled)
        {
            throw new IOException("the connection's output is closed");
        }
    }

    private void WriteAll(ReadOnlySpan<OutboundFrame> frames)
    {
        foreach (var frame in frames)
        {
            if (frame.Push is { } push)
            {
                push.FrameFor(Encoding, frame.Flag).WriteTo(output, frame.Tid);
            }
            else
            {
                output.Write(frame.Encoded.AsSpan());
            }
        }
    }
}
