using System.Globalization;

namespace AppMsg.Protocol.Tests;

/// <summary>
/// Seeds for the fuzz tests: a fixed one, always run, and APPMSG_FUZZ_SEED when set, so a failure seen with
/// any seed can be replayed.
/// </summary>
public static class FuzzSeeds
{
    public const int Fixed = 20_250_601;

    public static TheoryData<int> All
    {
        get
        {
            var seeds = new TheoryData<int> { Fixed };
            var fromEnvironment = Environment.GetEnvironmentVariable("APPMSG_FUZZ_SEED");
            if (int.TryParse(fromEnvironment, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) && seed != Fixed)
            {
                seeds.Add(seed);
            }

            return seeds;
        }
    }
}
