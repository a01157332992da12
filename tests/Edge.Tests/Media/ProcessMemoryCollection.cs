namespace AppMsg.Edge.Tests.Media;

/// <summary>
/// Tests that measure this process's retained memory run alone: any other test class running beside them (a 200-device
/// burst, a 1,000-member qun) allocates in the same process and would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "process memory";
}
