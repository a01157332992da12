namespace AppMsg.Hosting;

/// <summary>A problem that stops the process at start, with a message that says how to fix it.</summary>
public sealed class StartupException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}
