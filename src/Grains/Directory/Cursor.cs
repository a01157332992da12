using System.Buffers.Text;
using System.Text;

namespace AppMsg.Grains.Directory;

/// <summary>Opaque paging cursors: the last sort key of a page, base64url-encoded.</summary>
public static class Cursor
{
    public static string Encode(string sortKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(sortKey));

    /// <exception cref="AppMsgException"><c>validation_failed</c> for a cursor AppMsg did not make.</exception>
    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        string key;
        try
        {
            key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw NotACursor();
        }

        // Sort keys are stored text, which never holds U+0000 (PostgreSQL refuses it): such a cursor was made up.
        return key.Contains('\0', StringComparison.Ordinal) ? throw NotACursor() : key;
    }

    private static AppMsgException NotACursor() => AppMsgException.Invalid("after", "after is not a cursor from a previous page");
}
