using System.Net;
using System.Security.Cryptography;

namespace AppMsg.Edge.Tests.Media;

/// <summary>
/// A large body made up on the fly: byte i is a function of the seed and i, so any range can be checked without keeping
/// the whole. As HttpContent it streams without Content-Length unless asked, and can note the process's retained
/// memory half way (while the edge in this process is storing the first half).
/// </summary>
public sealed class GeneratedBytes(long length, int seed) : HttpContent
{
    private const int Block = 64 * 1024;

    public long Length => length;

    /// <summary>Bytes written before the sender stops and aborts (to test an interrupted upload); null sends all.</summary>
    public long? AbortAfter { get; init; }

    public bool DeclareLength { get; init; } = true;

    /// <summary>Called once when half of the body has been sent.</summary>
    public Action? AtHalf { get; init; }

    public byte At(long i) => (byte)(((i * 2654435761L) >> 7) ^ seed ^ (i >> 17));

    public void Fill(long offset, Span<byte> into)
    {
        for (var k = 0; k < into.Length; k++)
        {
            into[k] = At(offset + k);
        }
    }

    public byte[] Range(long offset, int count)
    {
        var bytes = new byte[count];
        Fill(offset, bytes);
        return bytes;
    }

    public string Sha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Block];
        for (long offset = 0; offset < length; offset += Block)
        {
            var n = (int)Math.Min(Block, length - offset);
            Fill(offset, buffer.AsSpan(0, n));
            hash.AppendData(buffer, 0, n);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var buffer = new byte[Block];
        var half = false;
        for (long offset = 0; offset < length; offset += Block)
        {
            if (AbortAfter is { } abort && offset >= abort)
            {
                throw new IOException("the test aborts the upload");
            }

            var n = (int)Math.Min(Block, length - offset);
            Fill(offset, buffer.AsSpan(0, n));
            await stream.WriteAsync(buffer.AsMemory(0, n));
            if (!half && offset >= length / 2)
            {
                half = true;
                await stream.FlushAsync();
                AtHalf?.Invoke();
            }
        }
    }

    protected override bool TryComputeLength(out long computed)
    {
        computed = length;
        return DeclareLength;
    }
}
