using System.Text.Json;
using System.Text.Json.Serialization;

namespace AppMsg.Edge.Api;

/// <summary>
/// Reads every string field of a request body through <see cref="Validate.IsStorableText"/>, so a <c>"\u0000"</c>
/// anywhere is a 400 naming the field rather than a value that storage refuses later.
/// </summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException($"expected a string, found {reader.TokenType}");
        return value is null || Validate.IsStorableText(value) ? value : throw new JsonException("a string must not contain U+0000");
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
