using System.Text.Json;

namespace AppMsg.BackendProbe;

/// <summary>One JSON object per line on stdout, whole lines only.</summary>
public sealed class ProbeOutput
{
    private readonly Lock gate = new();

    public void Write(object line)
    {
        var text = JsonSerializer.Serialize(line);
        lock (gate)
        {
            Console.Out.WriteLine(text);
            Console.Out.Flush();
        }
    }
}
