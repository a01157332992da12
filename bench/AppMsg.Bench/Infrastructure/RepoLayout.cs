namespace AppMsg.Bench.Infrastructure;

/// <summary>Where the built programs are: next to the tool in an artifacts folder, or in each project's bin/&lt;config&gt;.</summary>
public static class RepoLayout
{
    /// <summary>The checkout's root (the folder with Orleans.sln), found upwards from the tool or the current folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The dll of a program built from the project at <paramref name="projectFolder"/> (relative to the root).</summary>
    /// <exception cref="FileNotFoundException">It is not built.</exception>
    public static string Program(string projectFolder, string assemblyName, string projectName)
    {
        var here = AppContext.BaseDirectory.TrimEnd('/');
        var config = Path.GetFileName(here) == "net10.0" ? Path.GetFileName(Path.GetDirectoryName(here)!) : Path.GetFileName(here);
        var candidates = new List<string>
        {
            // --artifacts-path layout: <artifacts>/bin/<Project>/<config>/
            Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here)!)!, projectName, config, assemblyName + ".dll"),
            Path.Combine(Root, projectFolder, "bin", config ?? "Release", "net10.0", assemblyName + ".dll"),
            Path.Combine(Root, projectFolder, "bin", "Release", "net10.0", assemblyName + ".dll"),
            Path.Combine(Root, projectFolder, "bin", "Debug", "net10.0", assemblyName + ".dll"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{assemblyName}.dll is not built (looked at {string.Join(", ", candidates.Distinct())}); run ./run.sh bench, which builds it");
    }

    /// <summary>The dotnet host to start programs with.</summary>
    public static string DotnetHost
    {
        get
        {
            var own = Environment.ProcessPath;
            return own is not null && Path.GetFileNameWithoutExtension(own) == "dotnet" ? own : "dotnet";
        }
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return System.IO.Directory.GetCurrentDirectory();
    }
}
