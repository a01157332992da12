using AppMsg.Common;
using AppMsg.Grains.Timelines;
using AppMsg.Messaging;
using AppMsg.Sessions;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// Owns one timeline's numbering. The next seq comes from the store at activation; a second activation
/// (a split cluster) cannot fork the log, because the store refuses a (timeline, seq) twice, and the
/// grain then re-reads the last seq before it answers again.
/// </summary>
public sealed class TimelineGrain(
    TimelineWriter writer,
    TimelineReader reader,
    IOptions<MessagingOptions> options) : Grain, ITimelineGrain
{
    private long lastSeq = -1;

    private string Timeline => this.GetPrimaryKeyString();

    public async Task<MessageReceipt> AppendAsync(NewMessage message)
    {
        var limits = options.Value;
        MessageContent.Validate(message.Type, message.Content, limits.MaxContentBytes);
        var ttl = message.TtlSeconds is { } seconds
            ? seconds > 0 && TimeSpan.FromSeconds(seconds) <= limits.MaxTtl
                ? TimeSpan.FromSeconds(seconds)
                : throw AppMsgException.Invalid("ttlSeconds", $"ttlSeconds must be 1 to {(long)limits.MaxTtl.TotalSeconds}")
            : limits.DefaultTtl;
        if (lastSeq < 0)
        {
            lastSeq = await reader.LastSeqAsync(Timeline);
        }

        var seq = lastSeq + 1;
        var id = Ids.New();
        var now = DateTimeOffset.UtcNow;
        var expiresAt = now + ttl;
        var envelope = Envelope.Build(id, Timeline, seq, message.From, message.To, message.Type, message.Content, now, expiresAt);
        try
        {
            await writer.AppendAsync(new StoredMessage(Timeline, seq, id, message.From, now, expiresAt, envelope, message.TerminalTypes));
        }
        catch (AppMsgException e) when (e.Code == ErrorCodes.Conflict)
        {
            lastSeq = -1;
            throw new AppMsgException(ErrorCodes.Unavailable, "the timeline moved on elsewhere; retry");
        }

        lastSeq = seq;
        await DeliverAsync(message, new Delivery(Timeline, seq, envelope, AsIm: IsUser(message.From)));
        return new MessageReceipt(id, Timeline, seq);
    }

    public async Task<TimelinePage> ReadAsync(long afterSeq, int limit)
    {
        if (limit is < 1 or > 500)
        {
            throw AppMsgException.Invalid("limit", "limit must be 1 to 500");
        }

        var messages = await reader.ReadAsync(Timeline, Math.Max(0, afterSeq), limit);
        return new TimelinePage([.. messages.Select(m => m.Envelope)], messages.Count == limit ? messages[^1].Seq : null, [.. messages.Select(m => m.Seq)], [.. messages.Select(m => m.Sender)], [.. messages.Select(m => m.TerminalTypes)]);
    }

    /// <summary>Messages from users travel as IM, from apps and the system as PUSH.</summary>
    public static bool IsUser(string sender) => sender.EndsWith("@user", StringComparison.Ordinal);

    private async Task DeliverAsync(NewMessage message, Delivery delivery)
    {
        // Live delivery is best effort: the message is stored, and replay covers a terminal that misses it.
        try
        {
            if (Address.TryParse(Timeline, out var address) && address.Kind == AddressKind.User)
            {
                await GrainFactory.GetGrain<IUserSessionsGrain>(address.Id).PushAsync(message.TerminalTypes, delivery);
                return;
            }

            // Group timelines go to every live edge once; each edge knows which of its connections subscribe.
            var edges = await GrainFactory.GetGrain<IEdgeRegistryGrain>(0).GetLiveObserversAsync();
            foreach (var edge in edges)
            {
                await edge.PublishAsync(delivery, message.TerminalTypes, message.ExceptSessionId);
            }
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException)
        {
        }
    }
}
