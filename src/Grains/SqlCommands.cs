using Npgsql;

namespace AppMsg.Grains;

/// <summary>One-statement SQL with positional parameters ($1, $2, ...), as the SQL indexes make them.</summary>
internal static class SqlCommands
{
    /// <summary>Runs <paramref name="sql"/> with the values as $1, $2, ...; returns the rows affected.</summary>
    public static async Task<int> ExecuteAsync(this NpgsqlDataSource database, string sql, params object[] values)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query with the values as $1, $2, ...; returns its first column as strings.</summary>
    public static async Task<IReadOnlyList<string>> ReadStringsAsync(this NpgsqlDataSource database, string sql, params object[] values)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
