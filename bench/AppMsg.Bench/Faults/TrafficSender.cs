using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AppMsg.Bench.Faults;

/// <summary>
/// Sends at a steady rate, open loop, as the operator through <c>POST /v1/messages</c>: of every ten messages five go to
/// a user, four to a connected device's session and one to a qun. Requests alternate between the edges (one the suite
/// killed is skipped until it is back, as a load balancer's health check would). Every send carries a clientMsgId and is
/// recorded with its answer in <see cref="Messages"/>.
/// </summary>
public sealed class TrafficSender
{
    private static readonly Uri MessagesPath = new("/v1/messages", UriKind.Relative);
    private readonly OperatorApi api;
    private readonly FaultCluster cluster;
    private readonly IReadOnlyList<FaultDevice> devices;
    private readonly FaultDirectory directory;
    private readonly int rate;
    private readonly int maxInFlight;
    private readonly string runTag = Guid.NewGuid().ToString("N")[..8];
    private readonly SentMessage[] messages;
    private int count;
    private int inFlight;
    private long notSent;
    private long accepted;
    private long refused;
    private volatile bool paused;

    public TrafficSender(OperatorApi api, FaultCluster cluster, IReadOnlyList<FaultDevice> devices, FaultDirectory directory, int rate, int capacity)
    {
        this.api = api;
        this.cluster = cluster;
        this.devices = devices;
        this.directory = directory;
        this.rate = rate;
        maxInFlight = Math.Max(1000, rate * 20);
        messages = new SentMessage[capacity];
    }

    /// <summary>Every send so far, by suite number; read once <see cref="DrainAsync"/> has returned.</summary>
    public ReadOnlySpan<SentMessage> Messages => messages.AsSpan(0, Math.Min(Volatile.Read(ref count), messages.Length));

    public long Accepted => Interlocked.Read(ref accepted);

    public long Refused => Interlocked.Read(ref refused);

    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Sends the schedule called for but skipped: too many requests unanswered, or the record full.</summary>
    public long NotSent => Interlocked.Read(ref notSent);

    /// <summary>Stops sending (the idle fault); <see cref="Resume"/> starts the schedule afresh, without a catch-up burst.</summary>
    public void Pause() => paused = true;

    public void Resume() => paused = false;

    /// <summary>Sends until <paramref name="stop"/> fires; requests in flight then are left to finish (<see cref="DrainAsync"/>).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var scheduleStart = Stopwatch.GetTimestamp();
        var issued = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (paused)
                {
                    scheduleStart = Stopwatch.GetTimestamp();
                    issued = 0;
                    continue;
                }

                var due = (long)(Stopwatch.GetElapsedTime(scheduleStart).TotalSeconds * rate);
                for (; issued < due; issued++)
                {
                    if (Volatile.Read(ref inFlight) >= maxInFlight || Volatile.Read(ref count) >= messages.Length)
                    {
                        Interlocked.Increment(ref notSent);
                        continue;
                    }

                    Interlocked.Increment(ref inFlight);
                    _ = SendAsync(Interlocked.Increment(ref count) - 1);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until every request has its answer (or its timeout), at most <paramref name="limit"/>.</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref inFlight) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
        }
    }

    private async Task SendAsync(int number)
    {
        var (kind, target, sessionFrom, to) = ChooseTarget(number);
        var edge = number % cluster.EdgeCount;
        if (cluster.IsEdgeDown(edge))
        {
            edge = (edge + 1) % cluster.EdgeCount;
        }

        messages[number].Kind = kind;
        messages[number].Target = target;
        messages[number].SessionFrom = sessionFrom;
        messages[number].Edge = (byte)edge;
        var body = string.Create(CultureInfo.InvariantCulture, $"{{\"to\":[\"{to}\"],\"type\":\"custom\",\"content\":{{\"k\":{number}}},\"clientMsgId\":\"{runTag}-{number}\"}}");
        var status = SentMessage.TransportError;
        string? code = null;
        var seq = 0L;
        var ok = false;
        messages[number].SentAt = Stopwatch.GetTimestamp();
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await api.Edge(edge).PostAsync(MessagesPath, content);
            status = (int)response.StatusCode;
            var answer = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ok = TryReadReceipt(answer, out seq);
                code = ok ? null : "unreadable_answer";
            }
            else
            {
                code = ProblemCode(answer) ?? $"http_{status}";
            }
        }
        catch (TaskCanceledException)
        {
            status = SentMessage.TimedOut;
            code = "timeout";
        }
        catch (HttpRequestException)
        {
            status = SentMessage.TransportError;
            code = "transport";
        }
        finally
        {
            messages[number].AnsweredAt = Stopwatch.GetTimestamp();
            messages[number].Status = status;
            messages[number].Code = code;
            messages[number].Seq = seq;
            messages[number].Accepted = ok;
            Volatile.Write(ref messages[number].Done, true);
            Interlocked.Increment(ref ok ? ref accepted : ref refused);
            Interlocked.Decrement(ref inFlight);
        }
    }

    private (MessageKind Kind, int Target, long SessionFrom, string To) ChooseTarget(int number)
    {
        if (number % 10 == 9)
        {
            var qun = number / 10 % directory.QunIds.Count;
            return (MessageKind.Qun, qun, 0, directory.QunIds[qun] + "@qun");
        }

        if (number % 2 == 1)
        {
            // A session push needs a registered device; a few tries find one unless most are reconnecting.
            for (var attempt = 0; attempt < 8; attempt++)
            {
                var device = devices[Random.Shared.Next(devices.Count)];
                if (device.Session is { SessionId.Length: > 0 } session)
                {
                    return (MessageKind.Session, device.Index, session.RegisteredAt, session.SessionId + "@session");
                }
            }
        }

        var user = Random.Shared.Next(devices.Count);
        return (MessageKind.Direct, user, 0, devices[user].UserId + "@user");
    }

    /// <summary>Reads <c>results[0].seq</c> of a 200 answer (0 when the result has no seq: a live-only push).</summary>
    private static bool TryReadReceipt(byte[] answer, out long seq)
    {
        seq = 0;
        try
        {
            using var json = JsonDocument.Parse(answer);
            if (!json.RootElement.TryGetProperty("results", out var results) || results.GetArrayLength() != 1)
            {
                return false;
            }

            if (results[0].TryGetProperty("seq", out var value) && value.ValueKind == JsonValueKind.Number)
            {
                seq = value.GetInt64();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ProblemCode(byte[] answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
