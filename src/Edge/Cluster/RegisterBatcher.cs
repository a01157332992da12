using System.Threading.Channels;
using AppMsg.Sessions;

namespace AppMsg.Edge.Cluster;

/// <summary>
/// Hands REGISTERs to the cluster's session registrar: one call carries whatever REGISTERs queued while the previous
/// calls were out, so a reconnect storm costs the edge and the gateway a call per batch, not per device, and a quiet
/// edge still sends each REGISTER at once. Bounded: <see cref="CallsInFlight"/> calls of at most <see cref="MaxBatch"/>
/// tickets each; at most <see cref="MaxQueued"/> REGISTERs wait, and one that finds the queue full is answered
/// unavailable (REGRESP 7) at once.
/// </summary>
public sealed partial class RegisterBatcher
{
    public const int CallsInFlight = 4;
    public const int MaxBatch = 64;
    public const int MaxQueued = 20_000;

    private static readonly RegisterAnswer Unavailable = new(RegisterOutcome.Unavailable);

    private readonly IClusterClient cluster;
    private readonly ILogger<RegisterBatcher> logger;
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.Wait });

    public RegisterBatcher(IClusterClient cluster, ILogger<RegisterBatcher> logger)
    {
        this.cluster = cluster;
        this.logger = logger;
        for (var i = 0; i < CallsInFlight; i++)
        {
            _ = Task.Run(SendLoopAsync);
        }
    }

    /// <summary>Opens the ticket's session; never throws (a cluster that does not answer is <see cref="RegisterOutcome.Unavailable"/>).</summary>
    public Task<RegisterAnswer> RegisterAsync(RegisterTicket ticket)
    {
        var pending = new Pending(ticket);
        return queue.Writer.TryWrite(pending) ? pending.Answer.Task : Task.FromResult(Unavailable);
    }

    private async Task SendLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var tickets = new List<RegisterTicket>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                tickets.Add(pending.Ticket);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            IReadOnlyList<RegisterAnswer>? answers = null;
            try
            {
                var sending = tickets.ToArray();
                answers = await ClusterRetry.RunAsync(() => cluster.GetGrain<ISessionRegistrarGrain>(0).RegisterAsync(sending));
            }
            catch (Exception e)
            {
                // Every waiting REGISTER is answered whatever went wrong: "unavailable", and the terminal retries.
                LogBatchFailed(logger, batch.Count, e.Message);
                answers = null;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Answer.TrySetResult(answers is not null && i < answers.Count ? answers[i] : Unavailable);
            }

            batch.Clear();
            tickets.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} REGISTERs could not be served: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);

    private sealed class Pending(RegisterTicket ticket)
    {
        public RegisterTicket Ticket { get; } = ticket;

        public TaskCompletionSource<RegisterAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
