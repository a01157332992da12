namespace AppMsg.Bench.Faults;

/// <summary>The outcome of a fault-suite run: figures per window and overall, and what the devices went through.</summary>
public sealed class FaultSuiteResult
{
    public required IReadOnlyList<WindowFigures> Windows { get; init; }

    public required WindowFigures Overall { get; init; }

    public int Devices { get; init; }

    /// <summary>Connections the devices opened again after losing one.</summary>
    public long Reconnects { get; init; }

    /// <summary>Devices registered when the final SYNC was sent.</summary>
    public int ConnectedAtEnd { get; set; }

    /// <summary>Sends the schedule called for that were not made (too many unanswered requests).</summary>
    public long NotSent { get; set; }

    /// <summary>Envelopes the devices could not read, and envelopes of timelines a device does not read.</summary>
    public long Unreadable { get; init; }

    public long OtherTimelines { get; init; }

    public double TrafficSeconds { get; init; }

    /// <summary>Remarks for the report.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>
    /// CSV lines, header first: every refusal, lost (message, device) pair and live miss with its times, edge and seq
    /// (the suite writes them to findings.csv next to the process logs).
    /// </summary>
    public List<string> Findings { get; } = [];

    /// <summary>The suite's verdict: nothing lost, no gaps, no live miss after the bound.</summary>
    public bool Passed => Overall.Lost == 0 && Overall.Gaps == 0 && Overall.LiveMissesAfterBound == 0;
}
