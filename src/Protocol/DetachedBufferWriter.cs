using System.Buffers;

namespace AppMsg.Protocol;

/// <summary>
/// An output that is never written to: a cached <see cref="System.Text.Json.Utf8JsonWriter"/> is pointed at it
/// between uses, so it does not keep the caller's last output alive.
/// </summary>
internal sealed class DetachedBufferWriter : IBufferWriter<byte>
{
    public static readonly DetachedBufferWriter Instance = new();

    private DetachedBufferWriter()
    {
    }

    public void Advance(int count) => throw new InvalidOperationException("The JSON writer is not in use.");

    public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("The JSON writer is not in use.");

    public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("The JSON writer is not in use.");
}
