using System.Buffers;
using AppMsg.Protocol;

namespace AppMsg.Client.Transports;

/// <summary>A reused buffer from the shared pool that frame bodies are decoded into, one at a time.</summary>
internal sealed class BodyBuffer : IDisposable
{
    private byte[] array = ArrayPool<byte>.Shared.Rent(4096);

    /// <summary>Decodes the body of <paramref name="frame"/>; the result is valid until the next call.</summary>
    public ReadOnlyMemory<byte> Decode(in Frame frame)
    {
        if (array.Length < frame.BodyLength)
        {
            var larger = ArrayPool<byte>.Shared.Rent(frame.BodyLength);
            ArrayPool<byte>.Shared.Return(array);
            array = larger;
        }

        return array.AsMemory(0, frame.DecodeBodyTo(array));
    }

    public void Dispose()
    {
        var array = this.array;
        this.array = [];
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
