using Npgsql;

namespace AppMsg.Grains;

/// <summary>
/// The one rule for periodic passes that only one silo may run at once (pruning messages and media, sweeping token
/// rows): a PostgreSQL session advisory lock, tried, never waited for; the silo that does not get it skips the pass.
/// </summary>
public static class OneSiloAtATime
{
    /// <summary>
    /// Runs <paramref name="pass"/> on a connection holding the advisory lock <paramref name="lockKey"/>, then releases it;
    /// 0 without running it when another silo holds the lock.
    /// </summary>
    public static async Task<long> RunAsync(
        NpgsqlDataSource database, long lockKey, Func<NpgsqlConnection, CancellationToken, Task<long>> pass, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
        {
            tryLock.Parameters.AddWithValue(lockKey);
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellation))!)
            {
                return 0;
            }
        }

        try
        {
            return await pass(connection, cancellation);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            unlock.Parameters.AddWithValue(lockKey);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs <paramref name="pass"/> every <paramref name="interval"/> until <paramref name="stopping"/>; a pass that deleted
    /// something is reported to <paramref name="done"/>, one the database failed to <paramref name="failed"/> (the next
    /// tick tries again).
    /// </summary>
    public static async Task RepeatAsync(
        TimeSpan interval, Func<CancellationToken, Task<long>> pass, Action<long> done, Action<string> failed, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    var deleted = await pass(stopping);
                    if (deleted > 0)
                    {
                        done(deleted);
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    failed(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
