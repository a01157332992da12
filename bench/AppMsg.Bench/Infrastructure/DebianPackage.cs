using System.Diagnostics;

namespace AppMsg.Bench.Infrastructure;

/// <summary>A peer's program from Debian's packages: found where Debian puts it, or installed with apt-get when running as root.</summary>
public static class DebianPackage
{
    /// <summary>The path of the first of <paramref name="candidates"/> that exists, installing <paramref name="package"/> first when none does.</summary>
    /// <exception cref="Systems.PeerUnavailableException">Not installed, and it cannot be installed here.</exception>
    public static async Task<string> EnsureAsync(string package, string[] candidates, CancellationToken cancellationToken)
    {
        string? Find() => candidates.FirstOrDefault(File.Exists);
        if (Find() is { } found)
        {
            return found;
        }

        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            throw new Systems.PeerUnavailableException($"{package} is not installed (Debian: apt-get install {package})");
        }

        ProgressTicker.Say($"installing {package} (apt-get)");
        foreach (var arguments in new[] { "update -qq", $"install -y -qq {package}" })
        {
            var info = new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var apt = Process.Start(info)!;
            _ = apt.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = apt.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            await apt.WaitForExitAsync(timeout.Token);
        }

        return Find() ?? throw new Systems.PeerUnavailableException($"{package} could not be installed with apt-get");
    }
}
