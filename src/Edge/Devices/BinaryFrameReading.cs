using System.Buffers;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>The binary transports' one way of taking frames out of what a connection received and handing them to its protocol state.</summary>
public static class BinaryFrameReading
{
    /// <summary>
    /// Dispatches every whole frame at the start of <paramref name="received"/>, in order, until one is incomplete or the
    /// connection is closing; a malformed frame closes the connection. Returns where the unread bytes begin.
    /// </summary>
    public static async ValueTask<SequencePosition> DispatchFramesAsync(DeviceConnection connection, ReadOnlySequence<byte> received, int maxBodyLength)
    {
        while (!connection.IsClosing)
        {
            var status = FrameReader.TryReadFrame(ref received, maxBodyLength, out var frame, out var error);
            if (status == FrameReadStatus.NeedMoreData)
            {
                break;
            }

            if (status == FrameReadStatus.Error)
            {
                connection.OnProtocolError(error);
                break;
            }

            await BinaryFrameDispatcher.DispatchAsync(connection, frame);
        }

        return received.Start;
    }
}
