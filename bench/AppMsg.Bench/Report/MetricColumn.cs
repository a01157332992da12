namespace AppMsg.Bench.Report;

/// <summary>A column of a table: which metric, its header and format, and whether AppMsg/peer ratios are shown for it.</summary>
/// <param name="Key">The metric's key in <see cref="SystemResult.Metrics"/>.</param>
/// <param name="Header">The column header.</param>
/// <param name="Format">A .NET numeric format.</param>
/// <param name="Ratio">Whether the ratio table includes it.</param>
public sealed record MetricColumn(string Key, string Header, string Format = "N0", bool Ratio = false);
