namespace AppMsg.Hosting;

/// <summary>Finds the machine's PostgreSQL server binaries, for the private servers of tests, run.sh and the benchmarks.</summary>
public static class PostgresBinaries
{
    /// <summary>
    /// <c>APPMSG_PG_BIN</c> when it holds <c>initdb</c>, else the newest <c>/usr/lib/postgresql/N/bin</c> (Debian's layout).
    /// </summary>
    /// <exception cref="InvalidOperationException">No binaries were found; the message says how to install them (<paramref name="installHint"/>).</exception>
    public static string Find(string installHint)
    {
        var configured = Environment.GetEnvironmentVariable("APPMSG_PG_BIN");
        if (!string.IsNullOrEmpty(configured) && File.Exists(Path.Combine(configured, "initdb")))
        {
            return configured;
        }

        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            var best = System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (best.Dir is not null)
            {
                return best.Dir;
            }
        }

        throw new InvalidOperationException($"PostgreSQL server binaries not found: install PostgreSQL (apt-get install postgresql) or set APPMSG_PG_BIN; {installHint}");
    }
}
