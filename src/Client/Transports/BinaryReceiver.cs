using System.Buffers;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Transports;

/// <summary>Reads the binary frames in a buffer of received bytes and hands them to a sink (TCP and WebSocket binary).</summary>
internal sealed class BinaryReceiver(int maxBodyLength) : IDisposable
{
    private readonly BodyBuffer body = new();

    /// <summary>
    /// Handles every whole frame at the start of <paramref name="buffer"/>. Returns how far it read, and why to stop
    /// reading (a protocol error, or the sink asked to stop), or null to go on.
    /// </summary>
    public async ValueTask<(SequencePosition Consumed, string? Stop)> DrainAsync(ReadOnlySequence<byte> buffer, IInboundSink sink)
    {
        while (true)
        {
            var status = FrameReader.TryReadFrame(ref buffer, maxBodyLength, out var frame, out var error);
            if (status == FrameReadStatus.NeedMoreData)
            {
                return (buffer.Start, null);
            }

            if (status == FrameReadStatus.Error)
            {
                return (buffer.Start, ProtocolErrorReason(error));
            }

            var body = this.body.Decode(frame);
            if (!BinaryFormat.TryParse(frame.Type, frame.Tid, body, out var message, out error))
            {
                return (buffer.Start, ProtocolErrorReason(error));
            }

            if (!await sink.OnMessageAsync(message).ConfigureAwait(false))
            {
                return (buffer.Start, "stopped");
            }
        }
    }

    public void Dispose() => body.Dispose();

    internal static string ProtocolErrorReason(ProtocolError error) => $"protocol error from the server: {error.Reason}";
}
