namespace AppMsg.Bench.Faults;

/// <summary>
/// A stretch of the run the report is split by: the fault-free start, then one per fault. A message belongs to the
/// window its send started in. A fault's window starts <see cref="FaultSuiteOptions.LiveDeadlineSeconds"/> before its
/// injection (messages then still in flight are the fault's), the idle fault's when the traffic pauses.
/// </summary>
/// <param name="Name">baseline, silo kill, edge kill, postgres restart, idle.</param>
/// <param name="Fault">The fault, null for the baseline.</param>
/// <param name="From">Stopwatch timestamp where the window starts.</param>
/// <param name="Injected">
/// Stopwatch timestamp the bound and the recovery time count from: the kill or the stop, or for the idle fault the
/// moment traffic resumes; null for the baseline (no bound: every miss counts).
/// </param>
public sealed record FaultWindow(string Name, FaultKind? Fault, long From, long? Injected);
