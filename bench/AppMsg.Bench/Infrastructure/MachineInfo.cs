using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AppMsg.Bench.Infrastructure;

/// <summary>What the machine is, for the report: cores, memory, CPU model, OS, .NET, PostgreSQL.</summary>
public static class MachineInfo
{
    public static Dictionary<string, string> Collect(string? postgresVersion)
    {
        var info = new Dictionary<string, string>
        {
            ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["memory"] = MemoryTotal(),
            ["cpu"] = CpuModel(),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = SdkVersion() + " (runtime " + Environment.Version + ")",
        };
        if (postgresVersion is not null)
        {
            info["postgresql"] = postgresVersion;
        }

        return info;
    }

    private static string MemoryTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return $"{kb / 1024.0 / 1024.0:0.0} GiB";
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            return "?";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string SdkVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(RepoLayout.DotnetHost, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(10_000);
            return text;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
