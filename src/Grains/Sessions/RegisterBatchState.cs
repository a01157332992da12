using AppMsg.Directory;
using AppMsg.Grains.Timelines;
using AppMsg.Messaging;

namespace AppMsg.Grains.Sessions;

/// <summary>What <see cref="RegisterBatchReader"/> read for one batch of REGISTERs.</summary>
public sealed record RegisterBatchState(
    IReadOnlyDictionary<string, TokenPrincipal> Tokens,
    IReadOnlyDictionary<string, UserReading> Users,
    IReadOnlySet<string> UsersWithStoredCallbacks,
    IReadOnlyDictionary<string, Dictionary<CursorKey, CursorPosition>> Cursors);
