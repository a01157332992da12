using System.Buffers;
using System.Buffers.Text;

namespace AppMsg.Protocol;

/// <summary>
/// galopush's web framing: a text message that does not start with <c>{</c> is the base64 (standard alphabet,
/// padded) of the JSON text after ring-XOR encoding. A server answers such a connection in the same framing.
/// </summary>
public static class GalopushWebFraming
{
    /// <summary>
    /// Whether a text message is in galopush framing: its first non-whitespace byte is not <c>{</c>.
    /// (Base64 has neither whitespace nor braces, so the two forms cannot be confused.)
    /// </summary>
    public static bool IsWrapped(ReadOnlySpan<byte> utf8Text)
    {
        var start = utf8Text.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && utf8Text[start] != (byte)'{';
    }

    /// <summary>The largest JSON a wrapped message of <paramref name="wrappedLength"/> bytes can hold.</summary>
    public static int GetMaxUnwrappedLength(int wrappedLength) => Base64.GetMaxDecodedFromUtf8Length(wrappedLength);

    /// <summary>The size of the wrapped form of <paramref name="jsonLength"/> bytes of JSON.</summary>
    public static int GetWrappedLength(int jsonLength) => Base64.GetMaxEncodedToUtf8Length(jsonLength);

    /// <summary>Unwraps a message into <paramref name="destination"/> (at least <see cref="GetMaxUnwrappedLength"/> bytes).</summary>
    /// <param name="utf8Text">The text message as received; surrounding whitespace is ignored.</param>
    /// <param name="destination">Receives the JSON text.</param>
    /// <param name="bytesWritten">The length of the JSON text.</param>
    /// <param name="error">Invalid base64, or a result that does not start with <c>{</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static bool TryUnwrap(ReadOnlySpan<byte> utf8Text, Span<byte> destination, out int bytesWritten, out ProtocolError error)
    {
        var text = utf8Text.Trim(" \t\r\n"u8);
        if (destination.Length < GetMaxUnwrappedLength(text.Length))
        {
            throw new ArgumentException("The destination is too short.", nameof(destination));
        }

        var status = Base64.DecodeFromUtf8(text, destination, out var consumed, out bytesWritten);
        return Finish(status == OperationStatus.Done && consumed == text.Length, destination, ref bytesWritten, out error);
    }

    /// <summary>Unwraps a message given as characters (for example a <see cref="string"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static bool TryUnwrap(ReadOnlySpan<char> text, Span<byte> destination, out int bytesWritten, out ProtocolError error)
    {
        text = text.Trim(" \t\r\n");
        if (destination.Length < GetMaxUnwrappedLength(text.Length))
        {
            throw new ArgumentException("The destination is too short.", nameof(destination));
        }

        var decoded = Convert.TryFromBase64Chars(text, destination, out bytesWritten);
        return Finish(decoded, destination, ref bytesWritten, out error);
    }

    /// <summary>Unwraps a message where it lies (the received buffer), without another buffer.</summary>
    /// <param name="utf8Text">The text message; on success its first <paramref name="jsonLength"/> bytes are the JSON text.</param>
    /// <param name="jsonLength">The length of the JSON text.</param>
    /// <param name="error">Invalid base64, or a result that does not start with <c>{</c>.</param>
    public static bool TryUnwrapInPlace(Span<byte> utf8Text, out int jsonLength, out ProtocolError error)
    {
        var leading = utf8Text.Length - utf8Text.TrimStart(" \t\r\n"u8).Length;
        var text = utf8Text[leading..].TrimEnd(" \t\r\n"u8);
        var status = Base64.DecodeFromUtf8InPlace(text, out jsonLength);
        var ok = status == OperationStatus.Done;
        if (ok && leading > 0)
        {
            text[..jsonLength].CopyTo(utf8Text);
        }

        return Finish(ok, utf8Text, ref jsonLength, out error);
    }

    /// <summary>Wraps JSON text into <paramref name="output"/> as base64 UTF-8 text.</summary>
    public static void Wrap(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = GetWrappedLength(json.Length);
        var buffer = output.GetSpan(length);
        json.CopyTo(buffer);
        BodyEncodings.Encode(buffer[..json.Length], BodyEncoding.RingXor);
        Base64.EncodeToUtf8InPlace(buffer, json.Length, out var written);
        output.Advance(written);
    }

    /// <summary>Wraps JSON text into a base64 string.</summary>
    public static string Wrap(ReadOnlySpan<byte> json)
    {
        var rented = ArrayPool<byte>.Shared.Rent(json.Length);
        try
        {
            var buffer = rented.AsSpan(0, json.Length);
            json.CopyTo(buffer);
            BodyEncodings.Encode(buffer, BodyEncoding.RingXor);
            return Convert.ToBase64String(buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool Finish(bool decoded, Span<byte> buffer, ref int length, out ProtocolError error)
    {
        if (!decoded)
        {
            length = 0;
            error = ProtocolErrors.InvalidBase64;
            return false;
        }

        var json = buffer[..length];
        BodyEncodings.Decode(json, BodyEncoding.RingXor);
        var start = json.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || json[start] != (byte)'{')
        {
            length = 0;
            error = ProtocolErrors.UnwrappedNotJson;
            return false;
        }

        error = default;
        return true;
    }
}
