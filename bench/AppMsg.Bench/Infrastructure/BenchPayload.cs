using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// The JSON object every benchmark message carries: <c>{"n": number, "t": send timestamp}</c>. For AppMsg it is the
/// message content (type custom), for the peers the whole payload. The timestamp is this process's
/// <see cref="Stopwatch"/> (publisher and devices are in the same process), so latency needs no clock sync.
/// n &lt;= 0 marks a warm-up message.
/// </summary>
public static class BenchPayload
{
    public static string Create(long n, long timestamp) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"n\":{n},\"t\":{timestamp}}}");

    public static string Create(long n) => Create(n, Stopwatch.GetTimestamp());

    public static byte[] CreateUtf8(long n) => Encoding.UTF8.GetBytes(Create(n));

    /// <summary>Finds "n" and "t" anywhere in the JSON (in an AppMsg envelope they are inside content; the envelope's own fields have other names).</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out long n, out long timestamp)
    {
        n = 0;
        timestamp = 0;
        var found = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            while (found < 2 && reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueSpan.Length != 1)
                {
                    continue;
                }

                var name = reader.ValueSpan[0];
                if (name is not ((byte)'n' or (byte)'t'))
                {
                    continue;
                }

                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !Utf8Parser.TryParse(reader.ValueSpan, out long value, out _))
                {
                    return false;
                }

                if (name == (byte)'n')
                {
                    n = value;
                }
                else
                {
                    timestamp = value;
                }

                found++;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return found == 2;
    }
}
