using AppMsg.Common;
using Npgsql;

namespace AppMsg.Grains.Directory;

/// <summary>
/// Reads one page of a keyset-paged list: the query asks for <c>limit + 1</c> rows, and the extra row only
/// tells that there is a next page, whose cursor is made from the page's last item.
/// </summary>
internal static class KeysetPages
{
    public static async Task<Page<T>> ReadAsync<T>(NpgsqlCommand command, int limit, Func<NpgsqlDataReader, T> read, Func<T, string> cursorAfter)
    {
        var items = new List<T>(Math.Min(limit, 1024));
        var more = false;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (items.Count == limit)
            {
                more = true;
                break;
            }

            items.Add(read(reader));
        }

        return new Page<T>(items, more ? cursorAfter(items[^1]) : null);
    }
}
