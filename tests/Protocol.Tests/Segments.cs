using System.Buffers;

namespace AppMsg.Protocol.Tests;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe hands them out.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>A sequence made of the given parts, one segment each (empty parts included).</summary>
    public static ReadOnlySequence<byte> Create(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segments(parts[0], 0);
        var last = first;
        for (var i = 1; i < parts.Length; i++)
        {
            var next = new Segments(parts[i], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Links the parts into segments; a sequence can then end at any of them.</summary>
    public static Segments[] Chain(ReadOnlyMemory<byte>[] parts)
    {
        var chain = new Segments[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            chain[i] = new Segments(parts[i], i == 0 ? 0 : chain[i - 1].RunningIndex + chain[i - 1].Memory.Length);
            if (i > 0)
            {
                chain[i - 1].Next = chain[i];
            }
        }

        return chain;
    }

    /// <summary>The sequence from the start of <paramref name="chain"/> to the end of its element <paramref name="last"/>.</summary>
    public static ReadOnlySequence<byte> Through(Segments[] chain, int last) =>
        new(chain[0], 0, chain[last], chain[last].Memory.Length);

    /// <summary>Cuts <paramref name="data"/> at the given offsets (ascending) into one segment per piece.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        foreach (var cut in cuts)
        {
            parts.Add(data.AsMemory(start, cut - start));
            start = cut;
        }

        parts.Add(data.AsMemory(start));
        return Create([.. parts]);
    }

    /// <summary>Cuts <paramref name="data"/> into pieces of random sizes from 0 to <paramref name="maxPiece"/>.</summary>
    public static ReadOnlyMemory<byte>[] RandomPieces(byte[] data, Random random, int maxPiece)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        while (start < data.Length)
        {
            var size = Math.Min(random.Next(maxPiece + 1), data.Length - start);
            parts.Add(data.AsMemory(start, size));
            start += size;
        }

        return [.. parts];
    }
}
