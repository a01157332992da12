using System.Globalization;

namespace AppMsg.Edge.Media;

/// <summary>A single <c>Range: bytes=...</c> request (RFC 9110 14.1.2) resolved against an object's size.</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    /// <summary>
    /// Reads the header: null when there is none, or it is not one byte range this server honours (then the whole
    /// object is served, as RFC 9110 allows); <paramref name="satisfiable"/> is false when the range lies past the end.
    /// </summary>
    public static ByteRange? Parse(string? header, long size, out bool satisfiable)
    {
        satisfiable = true;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(','))
        {
            return null;
        }

        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            // A suffix: the last N bytes.
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return null;
            }

            if (suffix == 0 || size == 0)
            {
                satisfiable = false;
                return null;
            }

            var length = Math.Min(suffix, size);
            return new ByteRange(size - length, length);
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        long end;
        if (last.IsEmpty)
        {
            end = size - 1;
        }
        else if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
        {
            return null;
        }

        if (start >= size)
        {
            satisfiable = false;
            return null;
        }

        end = Math.Min(end, size - 1);
        return new ByteRange(start, end - start + 1);
    }
}
