namespace AppMsg.Messaging;

/// <summary>
/// Takes the cursor moves of many users in one call (what an edge's acknowledgements moved in one maintenance
/// tick) and hands each to the user's <see cref="IUserCursorsGrain"/>. A stateless worker: use key 0.
/// </summary>
public interface ICursorBatchGrain : IGrainWithIntegerKey
{
    /// <summary>Moves the cursors forward (never back); completes when every user's cursor grain has its moves.</summary>
    Task AdvanceAsync(IReadOnlyList<CursorAdvance> advances);
}
