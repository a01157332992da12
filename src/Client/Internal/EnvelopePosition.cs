using System.Text.Json;
using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>Finds an envelope's <c>timeline</c> and <c>seq</c> (top-level fields) without building a document.</summary>
internal static class EnvelopePosition
{
    /// <summary>The longest timeline read into the caller's buffer; longer ones are read as a string.</summary>
    public const int MaxStackTimeline = 256;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = ProtocolLimits.MaxJsonDepth };

    /// <summary>
    /// Reads both fields; false when the envelope is not a JSON object with a string <c>timeline</c> and a non-negative integer
    /// <c>seq</c> (such a message is handed on as it is). <paramref name="timeline"/> lies in <paramref name="buffer"/>, or in
    /// <paramref name="longTimeline"/> when it did not fit.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> envelope, Span<char> buffer, out ReadOnlySpan<char> timeline, out string? longTimeline, out long seq)
    {
        timeline = default;
        longTimeline = null;
        seq = -1;
        var foundTimeline = false;
        try
        {
            var reader = new Utf8JsonReader(envelope, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && (!foundTimeline || seq < 0))
            {
                if (reader.ValueTextEquals("timeline"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    if (reader.ValueSpan.Length <= buffer.Length)
                    {
                        timeline = buffer[..reader.CopyString(buffer)];
                    }
                    else
                    {
                        longTimeline = reader.GetString();
                        timeline = longTimeline;
                    }

                    foundTimeline = true;
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out seq) || seq < 0)
                    {
                        seq = -1;
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return foundTimeline && seq >= 0 && !timeline.IsEmpty;
    }
}
