using System.Globalization;
using AppMsg.Backends;

namespace AppMsg.BackendProbe;

/// <summary>The probe's command line: <c>--key value</c> pairs and flags.</summary>
public sealed record ProbeOptions(
    string ConnectionString,
    string ClusterId,
    string AppId,
    BackendSubscription Subscription,
    int FailFirst,
    bool NoAck)
{
    public static ProbeOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[args[i]] = args[++i];
            }
            else
            {
                flags.Add(args[i]);
            }
        }

        string Required(string key) => values.TryGetValue(key, out var value) ? value : throw new ArgumentException($"{key} is required");
        int Number(string key, int fallback) => values.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var mode = values.GetValueOrDefault("--mode", "shared") switch
        {
            "shared" => BackendDeliveryMode.Shared,
            "broadcast" => BackendDeliveryMode.Broadcast,
            var other => throw new ArgumentException($"--mode must be shared or broadcast, not '{other}'"),
        };
        return new ProbeOptions(
            Required("--connection"),
            Required("--cluster"),
            Required("--app"),
            new BackendSubscription(Required("--name"), mode, flags.Contains("--session-events"), Number("--ack-timeout", 30)),
            Number("--fail-first", 0),
            flags.Contains("--no-ack"));
    }
}
