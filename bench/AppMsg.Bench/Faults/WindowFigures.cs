namespace AppMsg.Bench.Faults;

/// <summary>What the oracle found for one window of the run, or for all of it. Definitions: docs/faults.md.</summary>
public sealed class WindowFigures(string name)
{
    public string Name { get; } = name;

    /// <summary>When the fault was injected, seconds after traffic started; null for the baseline and the whole run.</summary>
    public double? InjectedAtSeconds { get; set; }

    public long Sent { get; set; }

    public long Accepted { get; set; }

    public long Refused { get; set; }

    public double RefusedPercent => Sent == 0 ? 0 : 100.0 * Refused / Sent;

    /// <summary>Refusals by problem code (or timeout, transport).</summary>
    public SortedDictionary<string, long> RefusedBy { get; } = new(StringComparer.Ordinal);

    /// <summary>(message, recipient device) pairs accepted and stored but never received, even after the final SYNC.</summary>
    public long Lost { get; set; }

    /// <summary>Seqs missing below the highest seq a device holds of a timeline, after the final SYNC.</summary>
    public long Gaps { get; set; }

    /// <summary>Receipts beyond the first of a (timeline, seq) on a device.</summary>
    public long Duplicates { get; set; }

    /// <summary>Live-eligible (message, device) pairs that did not arrive live in time, sent before the bound ended.</summary>
    public long LiveMissesWithinBound { get; set; }

    /// <summary>Live-eligible (message, device) pairs that did not arrive live in time, sent after the bound: a failure.</summary>
    public long LiveMissesAfterBound { get; set; }

    /// <summary>(message, device) pairs that had to arrive live.</summary>
    public long LiveEligible { get; set; }

    /// <summary>Session pushes that reached their session live in time, and that did not (live-eligible ones).</summary>
    public long SessionLive { get; set; }

    public long SessionMissed { get; set; }

    /// <summary>
    /// Seconds from the injection to the first send, after the last failed one, that was accepted and arrived live at
    /// every live-eligible recipient; 0 when nothing failed; null when the window ended before that (not recovered).
    /// </summary>
    public double? RecoverySeconds { get; set; }

    /// <summary>Whether anything failed after injection that never recovered within the window.</summary>
    public bool NotRecovered { get; set; }

    public long LiveMisses => LiveMissesWithinBound + LiveMissesAfterBound;
}
