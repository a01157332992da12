namespace AppMsg.Bench.Report;

/// <summary>One row of a table: a system (and variant, e.g. its publisher) with its status and figures.</summary>
public sealed class SystemResult
{
    public required string System { get; init; }

    public string Variant { get; init; } = "";

    public bool IsAppMsg { get; init; }

    /// <summary>ok, or what went wrong: FAILED: ..., LOST n, unavailable: ..., STOPPED.</summary>
    public string Status { get; set; } = "ok";

    public Dictionary<string, double?> Metrics { get; } = [];

    /// <summary>CPU per process over the measured window, percent of one core.</summary>
    public Dictionary<string, double> CpuPercent { get; set; } = [];

    public List<string> Notes { get; } = [];

    public string Label => Variant.Length == 0 ? System : $"{System} ({Variant})";

    public bool IsOk => Status == "ok";

    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : null;
}
