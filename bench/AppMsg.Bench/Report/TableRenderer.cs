using System.Globalization;
using System.Text;

namespace AppMsg.Bench.Report;

/// <summary>Renders tables as Markdown (they paste into docs/BENCHMARKS.md as they are), with the AppMsg/peer ratios.</summary>
public static class TableRenderer
{
    public static string Render(ScenarioReport report, IReadOnlyDictionary<string, string> machine)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {report.Scenario} ({report.StartedAt:yyyy-MM-dd HH:mm})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {string.Join("; ", machine.Select(m => $"{m.Key} {m.Value}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Parameters: {string.Join(", ", report.Parameters.Select(p => $"{p.Key}={p.Value}"))}");
        foreach (var table in report.Tables)
        {
            text.AppendLine();
            text.Append(Render(table));
        }

        if (report.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in report.Notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        return text.ToString();
    }

    public static string Render(ResultTable table)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {table.Title}");
        text.AppendLine();
        var headers = new List<string> { "system", "status" };
        headers.AddRange(table.Columns.Select(c => c.Header));
        headers.Add("CPU % of a core");
        var rows = table.Rows.Select(r =>
        {
            var cells = new List<string> { r.Label, r.Status };
            cells.AddRange(table.Columns.Select(c => Format(r[c.Key], c.Format)));
            cells.Add(string.Join(", ", r.CpuPercent.Select(p => $"{p.Key} {p.Value:0}")));
            return cells;
        }).ToList();
        AppendMarkdown(text, headers, rows, labelColumns: 2);

        var ratioColumns = table.Columns.Where(c => c.Ratio).ToList();
        var ours = table.Rows.Where(r => r.IsAppMsg && r.Metrics.Count > 0).ToList();
        var peers = table.Rows.Where(r => !r.IsAppMsg && r.Metrics.Count > 0).ToList();
        if (ratioColumns.Count > 0 && ours.Count > 0 && peers.Count > 0)
        {
            text.AppendLine();
            var ratioRows = new List<List<string>>();
            foreach (var a in ours)
            {
                foreach (var p in peers)
                {
                    var cells = new List<string> { $"{a.Label} / {p.Label}" };
                    cells.AddRange(ratioColumns.Select(c => a[c.Key] is { } x && p[c.Key] is { } y && y != 0
                        ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) + "x"
                        : "-"));
                    ratioRows.Add(cells);
                }
            }

            AppendMarkdown(text, ["AppMsg / peer", .. ratioColumns.Select(c => c.Header)], ratioRows, labelColumns: 1);
        }

        AppendTlsRatios(text, table, ratioColumns);

        if (table.Rows.Any(r => r.Notes.Count > 0))
        {
            text.AppendLine();
        }

        foreach (var row in table.Rows.Where(r => r.Notes.Count > 0))
        {
            foreach (var note in row.Notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {row.Label}: {note}");
            }
        }

        return text.ToString();
    }

    /// <summary>With --tls: each TLS row against its plain row of the same run (tls / tcp, wss / ws), the issue's aim.</summary>
    private static void AppendTlsRatios(StringBuilder text, ResultTable table, IReadOnlyList<MetricColumn> ratioColumns)
    {
        var ratioRows = new List<List<string>>();
        foreach (var secure in table.Rows.Where(r => r.Metrics.Count > 0))
        {
            var parts = secure.Variant.Split(", ");
            var plainTransport = parts[^1] switch { "tls" => "tcp", "wss" => "ws", _ => null };
            if (plainTransport is null || ratioColumns.Count == 0)
            {
                continue;
            }

            var plainVariant = string.Join(", ", parts[..^1].Append(plainTransport));
            if (table.Rows.FirstOrDefault(r => r.System == secure.System && r.Variant == plainVariant && r.Metrics.Count > 0) is not { } plain)
            {
                continue;
            }

            var cells = new List<string> { $"{secure.Label} / {plainVariant}" };
            cells.AddRange(ratioColumns.Select(c => secure[c.Key] is { } x && plain[c.Key] is { } y && y != 0
                ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) + "x"
                : "-"));
            ratioRows.Add(cells);
        }

        if (ratioRows.Count > 0)
        {
            text.AppendLine();
            AppendMarkdown(text, ["TLS / plain (same run)", .. ratioColumns.Select(c => c.Header)], ratioRows, labelColumns: 1);
        }
    }

    public static string Format(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static void AppendMarkdown(StringBuilder text, IReadOnlyList<string> headers, IReadOnlyList<List<string>> rows, int labelColumns)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        text.AppendLine("| " + string.Join(" | ", headers.Select((h, i) => h.PadRight(widths[i]))) + " |");
        text.AppendLine("|" + string.Join("|", widths.Select((w, i) => i < labelColumns ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select((c, i) => i < labelColumns ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |");
        }
    }
}
