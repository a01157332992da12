using System.Buffers.Binary;

namespace AppMsg.Protocol.Tests;

/// <summary>
/// A deliberately plain reading of PROTOCOL.md section 1 over a whole byte array, used as the reference
/// the streaming reader must agree with.
/// </summary>
internal static class FrameOracle
{
    public sealed record Item(int Offset, FrameReadStatus Status, FrameHeader Header, ProtocolErrorCode Error, int BytesToDecide);

    /// <summary>
    /// What a reader must report from each offset of <paramref name="data"/> in turn: frames, then finally an
    /// error or need-more-data. <see cref="Item.BytesToDecide"/> is how many bytes from the offset it takes to
    /// know the outcome.
    /// </summary>
    public static List<Item> Parse(byte[] data, int maxBodyLength)
    {
        var items = new List<Item>();
        var offset = 0;
        while (true)
        {
            var left = data.Length - offset;
            if (left == 0)
            {
                items.Add(new Item(offset, FrameReadStatus.NeedMoreData, default, 0, 1));
                return items;
            }

            var type = data[offset] & 0x3F;
            if (type < 1 || type > 14)
            {
                items.Add(new Item(offset, FrameReadStatus.Error, default, ProtocolErrorCode.UnknownType, 1));
                return items;
            }

            var headerLength = type == 3 ? 5 : 9;
            if (left < headerLength)
            {
                items.Add(new Item(offset, FrameReadStatus.NeedMoreData, default, 0, headerLength));
                return items;
            }

            var tid = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset + 1));
            var bodyLength = headerLength == 9 ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset + 5)) : 0;
            if (bodyLength > maxBodyLength)
            {
                items.Add(new Item(offset, FrameReadStatus.Error, default, ProtocolErrorCode.BodyTooLarge, 9));
                return items;
            }

            var frameLength = headerLength + (int)bodyLength;
            var header = new FrameHeader((MessageType)type, (BodyEncoding)(data[offset] >> 6), tid, bodyLength);
            if (left < frameLength)
            {
                items.Add(new Item(offset, FrameReadStatus.NeedMoreData, header, 0, frameLength));
                return items;
            }

            items.Add(new Item(offset, FrameReadStatus.Frame, header, 0, frameLength));
            offset += frameLength;
        }
    }
}
