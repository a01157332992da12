using AppMsg.Fuzz;

namespace AppMsg.Protocol.Tests;

/// <summary>
/// Every input the coverage-guided fuzzer (./run.sh fuzz) saved as a crash, and every seed it starts from, through the
/// same target the fuzzer ran: each must now pass without an exception.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly string Saved = Path.Combine(AppContext.BaseDirectory, "FuzzRegressions");

    public static TheoryData<string, string> SavedInputs
    {
        get
        {
            var inputs = new TheoryData<string, string>();
            foreach (var target in FuzzTargets.Names)
            {
                var folder = Path.Combine(Saved, target);
                foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray() : [])
                {
                    inputs.Add(target, Path.GetFileName(file));
                }
            }

            // xunit refuses an empty theory; a target name with no file stands for "nothing saved yet".
            if (inputs.Count == 0)
            {
                inputs.Add("", "");
            }

            return inputs;
        }
    }

    [Theory]
    [MemberData(nameof(SavedInputs))]
    public void A_saved_crash_input_no_longer_breaks_its_target(string target, string file)
    {
        if (target.Length == 0)
        {
            return;
        }

        var run = FuzzTargets.Find(target) ?? throw new InvalidOperationException($"FuzzRegressions/{target} names no fuzz target");
        run(File.ReadAllBytes(Path.Combine(Saved, target, file)));
    }

    [Fact]
    public void Every_seed_of_every_target_passes_its_target()
    {
        foreach (var target in FuzzTargets.Names)
        {
            var seeds = FuzzSeedCorpus.Of(target);
            Assert.NotEmpty(seeds);
            foreach (var (_, input) in seeds)
            {
                FuzzTargets.Find(target)!(input);
            }
        }
    }
}
