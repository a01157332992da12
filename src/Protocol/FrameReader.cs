using System.Buffers;

namespace AppMsg.Protocol;

/// <summary>Reads binary frames from buffered input such as a <c>System.IO.Pipelines</c> pipe.</summary>
public static class FrameReader
{
    /// <summary>
    /// Tries to read one frame from the start of <paramref name="buffer"/>, which may hold part of a frame,
    /// exactly one, or several, in any number of segments. Does not allocate.
    /// </summary>
    /// <param name="buffer">
    /// The buffered input. On <see cref="FrameReadStatus.Frame"/> it is advanced past the frame; otherwise it is
    /// left unchanged. A pipe reader loops until the result is not a frame, then calls
    /// <c>AdvanceTo(buffer.Start, buffer.End)</c>.
    /// </param>
    /// <param name="maxBodyLength">The largest body length accepted; a larger one is an error as soon as the header is in.</param>
    /// <param name="frame">The frame read; its body is a slice of <paramref name="buffer"/>, still encoded.</param>
    /// <param name="error">The violation, when the result is <see cref="FrameReadStatus.Error"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBodyLength"/> is negative.</exception>
    public static FrameReadStatus TryReadFrame(
        ref ReadOnlySequence<byte> buffer, int maxBodyLength, out Frame frame, out ProtocolError error)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBodyLength);
        frame = default;

        FrameReadStatus status;
        FrameHeader header;
        var first = buffer.FirstSpan;
        if (first.Length >= FrameHeader.Size)
        {
            status = FrameHeader.TryParse(first, out header, out error);
        }
        else
        {
            // The header straddles segments (or the input is short): gather what there is.
            Span<byte> headerBytes = stackalloc byte[FrameHeader.Size];
            var available = (int)Math.Min(buffer.Length, FrameHeader.Size);
            buffer.Slice(0, available).CopyTo(headerBytes);
            status = FrameHeader.TryParse(headerBytes[..available], out header, out error);
        }

        if (status != FrameReadStatus.Frame)
        {
            return status;
        }

        if (header.BodyLength > (uint)maxBodyLength)
        {
            error = ProtocolErrors.BodyTooLarge;
            return FrameReadStatus.Error;
        }

        var frameLength = header.FrameLength;
        if (buffer.Length < frameLength)
        {
            return FrameReadStatus.NeedMoreData;
        }

        frame = new Frame(header, buffer.Slice(header.Length, header.BodyLength));
        buffer = buffer.Slice(frameLength);
        return FrameReadStatus.Frame;
    }
}
