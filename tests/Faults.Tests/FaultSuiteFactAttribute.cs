namespace AppMsg.Faults.Tests;

/// <summary>A fact that runs by default and is skipped when <c>APPMSG_SKIP_FAULTS=1</c> (local iteration on other tests).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FaultSuiteFactAttribute : FactAttribute
{
    public FaultSuiteFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("APPMSG_SKIP_FAULTS") == "1")
        {
            Skip = "APPMSG_SKIP_FAULTS=1";
        }
    }
}
