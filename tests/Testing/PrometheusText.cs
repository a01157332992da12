using System.Globalization;

namespace AppMsg.Testing;

/// <summary>A scrape in the Prometheus text format, read into samples (the format's simple line grammar).</summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, string Labels, double Value)> samples = [];

    public PrometheusText(string text)
    {
        Text = text;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 && brace < space ? line[..brace] : line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var labels = brace >= 0 && brace < space ? line[(brace + 1)..line.LastIndexOf('}')] : "";
            var valueText = line[(line.IndexOf(' ', labels.Length > 0 ? line.LastIndexOf('}') : 0) + 1)..].Split(' ')[0];
            samples.Add((name, labels, double.Parse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    /// <summary>True when a sample of the series exists.</summary>
    public bool Has(string name) => samples.Any(s => s.Name == name);

    /// <summary>The sum of the series' samples whose labels contain <paramref name="label"/> (<c>path="live"</c>), or all.</summary>
    public double Sum(string name, string? label = null) =>
        samples.Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal))).Sum(s => s.Value);
}
