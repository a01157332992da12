using System.Collections.Concurrent;
using AppMsg.Directory;
using AppMsg.Grains.Directory;
using AppMsg.Grains.Sessions;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// What the pipeline must know of each recipient with registered devices: whom it muted and which terminal types have a
/// live session. Presence is asked of the edges (the truth for their connections) in one call per live edge per batch,
/// so a large qun's offline members cost no grain activation; only when an edge does not answer, or no edge is known yet,
/// are the recipients' session grains asked instead. Mutes are read from the user grains' stored state, one statement
/// for the recipients not cached (<see cref="StoredMutes"/>, no user grain activated), and kept per silo for
/// <see cref="MutesKeptFor"/> (at most <see cref="MaxCachedUsers"/> users); a mute change reaches the cache through the
/// membership events, as it reaches edges.
/// </summary>
public sealed partial class RecipientChecks(LiveEdges liveEdges, StoredMutes storedMutes, IGrainFactory grains, TimeProvider clock, ILogger<RecipientChecks> logger) : IMembershipObserver
{
    public const int MaxCachedUsers = 100_000;
    public const int UsersPerEdgeCall = 5_000;
    public const int GrainChecksInParallel = 64;
    public static readonly TimeSpan MutesKeptFor = TimeSpan.FromSeconds(30);

    private static readonly IReadOnlySet<string> NoMutes = new HashSet<string>();
    private readonly ConcurrentDictionary<string, (IReadOnlySet<string> Muted, DateTimeOffset ReadAt)> mutes = new(StringComparer.Ordinal);
    private long muteChanges;

    /// <summary>A recipient's mutes and the terminal types (bits) of its live sessions.</summary>
    public sealed record Recipient(IReadOnlySet<string> Muted, int LiveTerminalTypes);

    public async Task<Dictionary<string, Recipient>> CheckAsync(IReadOnlyList<string> userIds)
    {
        var result = new Dictionary<string, Recipient>(userIds.Count, StringComparer.Ordinal);
        if (userIds.Count == 0)
        {
            return result;
        }

        var presence = LiveTerminalTypesAsync(userIds);
        var muted = await MutesAsync(userIds);
        var live = await presence;
        for (var i = 0; i < userIds.Count; i++)
        {
            result[userIds[i]] = new Recipient(muted[i], live[i]);
        }

        return result;
    }

    private async Task<int[]> LiveTerminalTypesAsync(IReadOnlyList<string> userIds)
    {
        var edges = await liveEdges.GetAsync();
        if (edges.IsKnown)
        {
            try
            {
                var live = new int[userIds.Count];
                var chunks = userIds.Chunk(UsersPerEdgeCall).ToArray();
                var answers = await Task.WhenAll(edges.Observers.Values.SelectMany(edge => chunks.Select((chunk, c) => AskAsync(edge, chunk, c))));
                foreach (var (offset, types) in answers)
                {
                    for (var i = 0; i < types.Length; i++)
                    {
                        live[offset + i] |= types[i];
                    }
                }

                return live;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogEdgesNotAsked(logger, userIds.Count, e.Message);
            }
        }

        // The slow way, one session grain per user (each learns from every edge): when the edges cannot say.
        var fallback = new int[userIds.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, userIds.Count), new ParallelOptions { MaxDegreeOfParallelism = GrainChecksInParallel }, async (i, _) =>
        {
            foreach (var session in await grains.GetGrain<IUserSessionsGrain>(userIds[i]).GetSessionsAsync())
            {
                fallback[i] |= session.TerminalType;
            }
        });
        return fallback;

        async Task<(int Offset, int[] Types)> AskAsync(IEdgeObserver edge, string[] chunk, int index)
        {
            var types = await edge.LiveTerminalTypesAsync(chunk).WaitAsync(EdgeLiveness.QueryTimeout, clock);
            return types.Length == chunk.Length ? (index * UsersPerEdgeCall, types) : throw new InvalidOperationException("an edge answered for another number of users");
        }
    }

    private async Task<IReadOnlySet<string>[]> MutesAsync(IReadOnlyList<string> userIds)
    {
        var now = clock.GetUtcNow();
        var result = new IReadOnlySet<string>[userIds.Count];
        List<int>? missing = null;
        for (var i = 0; i < userIds.Count; i++)
        {
            if (mutes.TryGetValue(userIds[i], out var cached) && now - cached.ReadAt < MutesKeptFor)
            {
                result[i] = cached.Muted;
            }
            else
            {
                (missing ??= []).Add(i);
            }
        }

        if (missing is null)
        {
            return result;
        }

        if (mutes.Count + missing.Count > MaxCachedUsers)
        {
            mutes.Clear();
        }

        // A mute change announced while the rows are read may not be in them: then they serve this batch only.
        var changesBefore = Interlocked.Read(ref muteChanges);
        var stored = await storedMutes.ReadAsync([.. missing.Select(i => userIds[i])]);
        var keep = Interlocked.Read(ref muteChanges) == changesBefore;
        foreach (var i in missing)
        {
            var set = stored.TryGetValue(userIds[i], out var muted) ? new HashSet<string>(muted, StringComparer.Ordinal) : NoMutes;
            result[i] = set;
            if (keep)
            {
                mutes[userIds[i]] = (set, now);
            }
        }

        return result;
    }

    public Task OnMuteChangedAsync(MuteChange change)
    {
        Interlocked.Increment(ref muteChanges);
        mutes.TryRemove(change.UserId, out _);
        return Task.CompletedTask;
    }

    public Task OnMembershipChangedAsync(MembershipChange change) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The edges did not say which of {Count} recipients are online; asking their session grains: {Reason}")]
    private static partial void LogEdgesNotAsked(ILogger logger, int count, string reason);
}
