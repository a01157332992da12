namespace AppMsg.Directory.Tests;

/// <summary>Tests that compare timings run alone: another test class running beside them adds its own work to one side.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
