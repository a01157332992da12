namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// Every process the tool started and has not stopped yet, so that Ctrl-C, SIGTERM, a failure or the
/// hard timeout leaves nothing behind. Cleanup actions (a PostgreSQL stop) run last.
/// </summary>
public static class ChildProcesses
{
    private static readonly List<ChildProcess> Running = [];
    private static readonly List<Action> LastActions = [];

    public static void Add(ChildProcess process)
    {
        lock (Running)
        {
            Running.Add(process);
        }
    }

    public static void Remove(ChildProcess process)
    {
        lock (Running)
        {
            Running.Remove(process);
        }
    }

    /// <summary>Registers a synchronous cleanup (stop PostgreSQL) for an abrupt exit; the returned handle unregisters it.</summary>
    public static IDisposable AtExit(Action action)
    {
        lock (LastActions)
        {
            LastActions.Add(action);
        }

        return new Unregister(action);
    }

    /// <summary>Kills every registered process and runs the exit actions; safe to call more than once.</summary>
    public static void KillAll()
    {
        ChildProcess[] processes;
        lock (Running)
        {
            processes = [.. Running];
            Running.Clear();
        }

        foreach (var process in processes)
        {
            process.KillNow();
        }

        Action[] actions;
        lock (LastActions)
        {
            actions = [.. LastActions];
            LastActions.Clear();
        }

        foreach (var action in actions)
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine($"cleanup failed: {e.Message}");
            }
        }
    }

    public static int Count
    {
        get
        {
            lock (Running)
            {
                return Running.Count;
            }
        }
    }

    private sealed class Unregister(Action action) : IDisposable
    {
        public void Dispose()
        {
            lock (LastActions)
            {
                LastActions.Remove(action);
            }
        }
    }
}
