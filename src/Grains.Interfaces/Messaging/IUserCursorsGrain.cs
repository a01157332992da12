namespace AppMsg.Messaging;

/// <summary>
/// A user's read cursors: per terminal type and timeline, the last seq every earlier message of which
/// the terminal acknowledged. Edges advance them in batches; they are persisted lazily, so after a crash
/// a terminal may see a message twice, never zero times. Keyed by user id.
/// </summary>
public interface IUserCursorsGrain : IGrainWithStringKey
{
    /// <summary>The cursors of one terminal type, by timeline address.</summary>
    Task<IReadOnlyDictionary<string, long>> GetAsync(int terminalType);

    /// <summary>The cursors of one terminal type with their last move (for the delivery state's acknowledgement times), by timeline address.</summary>
    Task<IReadOnlyDictionary<string, CursorPosition>> GetPositionsAsync(int terminalType);

    /// <summary>Moves cursors forward (never back); the grain's clock times the move.</summary>
    Task AdvanceAsync(int terminalType, IReadOnlyDictionary<string, long> cursors);
}
