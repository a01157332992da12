using Orleans.Runtime;

namespace AppMsg.Testing;

/// <summary>How many activations of each grain class (its short name, e.g. <c>UserGrain</c>) the cluster holds now.</summary>
public static class GrainActivations
{
    public static async Task<Dictionary<string, int>> CountAsync(IManagementGrain management)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var statistic in await management.GetSimpleGrainStatistics())
        {
            var type = statistic.GrainType.Split(',')[0];
            var name = type[(type.LastIndexOf('.') + 1)..];
            counts[name] = counts.GetValueOrDefault(name) + statistic.ActivationCount;
        }

        return counts;
    }

    /// <summary>The activations of <paramref name="grainClass"/> added between two counts.</summary>
    public static int Added(Dictionary<string, int> before, Dictionary<string, int> after, string grainClass) =>
        after.GetValueOrDefault(grainClass) - before.GetValueOrDefault(grainClass);
}
