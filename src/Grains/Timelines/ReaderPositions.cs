using AppMsg.Messaging;

namespace AppMsg.Grains.Timelines;

/// <summary>Where one reader (a terminal type and the device it named) stands in each timeline, from a user's cursors.</summary>
public static class ReaderPositions
{
    /// <summary>
    /// Per timeline, the device's own cursor, else the position shared by the terminals of its type that named no
    /// device (where a device new to a timeline starts).
    /// </summary>
    public static Dictionary<string, long> Of(IEnumerable<KeyValuePair<CursorKey, CursorPosition>> cursors, int terminalType, string deviceId)
    {
        var ofReader = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, position) in cursors)
        {
            if (key.TerminalType != terminalType)
            {
                continue;
            }

            if (key.DeviceId == deviceId)
            {
                ofReader[key.Timeline] = position.Seq;
            }
            else if (key.DeviceId.Length == 0)
            {
                ofReader.TryAdd(key.Timeline, position.Seq);
            }
        }

        return ofReader;
    }
}
