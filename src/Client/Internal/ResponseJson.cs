using System.Buffers;
using System.Text.Json;

namespace AppMsg.Client.Internal;

/// <summary>
/// The fields of the JSON object a response carries after its code (REGRESP, IMRESP, SYNCRESP). Responses are
/// rare next to pushes, so this reads them the simple way. Missing, mistyped or malformed JSON reads as absent fields.
/// </summary>
internal sealed class ResponseJson
{
    private static readonly ResponseJson Empty = new(default, ReadOnlyMemory<byte>.Empty);

    private readonly JsonElement root;

    private ResponseJson(JsonElement root, ReadOnlyMemory<byte> withoutCode)
    {
        this.root = root;
        WithoutCode = withoutCode;
    }

    /// <summary>The object without its <c>code</c> field (the text form merges the code in); empty when there was none.</summary>
    public ReadOnlyMemory<byte> WithoutCode { get; }

    /// <summary>Reads <paramref name="json"/>, which is empty or one JSON object.</summary>
    public static ResponseJson Read(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? new ResponseJson(root.Clone(), Strip(root)) : Empty;
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    public string? String(string name) =>
        TryGet(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public long? Number(string name) =>
        TryGet(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    public bool? Boolean(string name) =>
        TryGet(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out value);
    }

    private static ReadOnlyMemory<byte> Strip(JsonElement root)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (!property.NameEquals("code"u8))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return output.WrittenMemory;
    }
}
