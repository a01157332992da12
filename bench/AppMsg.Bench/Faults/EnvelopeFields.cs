using System.Text.Json;

namespace AppMsg.Bench.Faults;

/// <summary>Reads what the oracle needs from a down envelope without allocating: timeline, seq and the suite's message number.</summary>
public static class EnvelopeFields
{
    /// <param name="envelope">The envelope's UTF-8 JSON.</param>
    /// <param name="timeline">The <c>timeline</c> field's raw UTF-8 (addresses need no escapes).</param>
    /// <param name="seq">The <c>seq</c> field, 0 when absent.</param>
    /// <param name="number">The suite's message number (<c>content.k</c>), -1 when absent.</param>
    /// <returns>False when the envelope is not JSON the suite can read.</returns>
    public static bool TryRead(ReadOnlySpan<byte> envelope, out ReadOnlySpan<byte> timeline, out long seq, out long number)
    {
        timeline = default;
        seq = 0;
        number = -1;
        try
        {
            var reader = new Utf8JsonReader(envelope);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("timeline"u8))
                {
                    reader.Read();
                    timeline = reader.ValueSpan;
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    seq = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : 0;
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        number = ReadNumber(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return !timeline.IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads <c>k</c> of the content object the reader stands at, leaving the reader at its end.</summary>
    private static long ReadNumber(ref Utf8JsonReader reader)
    {
        var number = -1L;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("k"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number)
                {
                    number = reader.GetInt64();
                }
            }
        }

        return number;
    }
}
