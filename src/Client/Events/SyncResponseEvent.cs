using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>
/// A SYNCRESP, also returned by <see cref="DeviceClient.SyncAsync(string, CancellationToken)"/>: in the event order it marks
/// where the replay the SYNC asked for ends.
/// </summary>
/// <param name="Tid">The TID of the SYNC it answers.</param>
/// <param name="Result">The code and JSON of the answer.</param>
public sealed record SyncResponseEvent(uint Tid, SyncResult Result) : DeviceEvent;
