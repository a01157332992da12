namespace AppMsg.Protocol;

/// <summary>The REGISTER id and token rules: printable ASCII (0x20..0x7E), at most 32 characters.</summary>
internal static class AsciiField
{
    public static bool IsPrintable(ReadOnlySpan<byte> value) =>
        !value.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E);

    public static bool IsPrintable(ReadOnlySpan<char> value) =>
        !value.ContainsAnyExceptInRange((char)0x20, (char)0x7E);

    /// <summary>
    /// Reads a NUL-padded field: the value ends at the first NUL and everything after it must be NUL too,
    /// so a field cannot smuggle bytes behind its visible value.
    /// </summary>
    public static bool TryReadPadded(ReadOnlySpan<byte> field, out string value)
    {
        var end = field.IndexOf((byte)0);
        var text = end < 0 ? field : field[..end];
        if ((end >= 0 && field[end..].ContainsAnyExcept((byte)0)) || !IsPrintable(text))
        {
            value = string.Empty;
            return false;
        }

        value = text.IsEmpty ? string.Empty : System.Text.Encoding.ASCII.GetString(text);
        return true;
    }

    /// <summary>Writes <paramref name="value"/> NUL-padded into <paramref name="field"/>.</summary>
    public static void WritePadded(string value, Span<byte> field, string paramName)
    {
        if (value.Length > field.Length || !IsPrintable(value))
        {
            throw new ArgumentException(
                $"Must be printable ASCII of at most {field.Length} characters.", paramName);
        }

        field.Clear();
        for (var i = 0; i < value.Length; i++)
        {
            field[i] = (byte)value[i];
        }
    }
}
