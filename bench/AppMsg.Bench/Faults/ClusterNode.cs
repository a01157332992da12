using AppMsg.Bench.Infrastructure;

namespace AppMsg.Bench.Faults;

/// <summary>
/// One silo or edge process of the fault cluster: started with fixed ports and settings, so that a restart after a
/// <c>kill -9</c> comes back as the same node. Each start logs to its own file (<c>silo-1.log</c>, <c>silo-1-restart-1.log</c>, ...).
/// </summary>
public sealed class ClusterNode(string name, string dll, IReadOnlyDictionary<string, string?> environment, string logDirectory) : IAsyncDisposable
{
    private ChildProcess? process;
    private int starts;

    public string Name { get; } = name;

    public bool IsRunning => process is { HasExited: false };

    /// <summary>The current process, for an error message.</summary>
    public ChildProcess? Process => process;

    public void Start()
    {
        var logName = starts == 0 ? Name : $"{Name}-restart-{starts}";
        starts++;
        process = ChildProcess.Start(logName, RepoLayout.DotnetHost, [dll], environment, logDirectory);
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster, sockets cut by the kernel.</summary>
    public async Task KillAsync()
    {
        if (process is { } killed)
        {
            process = null;
            killed.KillNow();
            await killed.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { } running)
        {
            process = null;
            await running.DisposeAsync();
        }
    }
}
