namespace AppMsg.Messaging;

/// <summary>
/// A user's read cursors: per reader (a terminal type, and the device when the terminal named one at REGISTER)
/// and timeline, the last seq every earlier message of which the reader acknowledged. Edges advance them in
/// batches; they are persisted lazily, so after a crash a terminal may see a message twice, never zero times.
/// Keyed by user id.
/// </summary>
public interface IUserCursorsGrain : IGrainWithStringKey
{
    /// <summary>How far any reader of one terminal type has read, by timeline address (the furthest of them).</summary>
    Task<IReadOnlyDictionary<string, long>> GetAsync(int terminalType);

    /// <summary>
    /// Where one reader's replay starts, by timeline address: its own cursor, else (a device new to that timeline)
    /// the position shared by the terminals of its type that named no device. <paramref name="deviceId"/> empty:
    /// that shared position.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> GetReaderAsync(int terminalType, string deviceId);

    /// <summary>
    /// How far any reader of one terminal type has read, with that cursor's last move (for the delivery state's
    /// acknowledgement times), by timeline address.
    /// </summary>
    Task<IReadOnlyDictionary<string, CursorPosition>> GetPositionsAsync(int terminalType);

    /// <summary>Moves a reader's cursors forward (never back); the grain's clock times the move.</summary>
    Task AdvanceAsync(int terminalType, string deviceId, IReadOnlyDictionary<string, long> cursors);
}
