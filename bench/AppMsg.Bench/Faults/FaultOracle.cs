using System.Diagnostics;
using System.Globalization;

namespace AppMsg.Bench.Faults;

/// <summary>
/// Judges a run once the traffic has stopped and the devices have synced: every accepted message against what each
/// of its recipients' devices received, per window. The rules are written out in docs/faults.md.
/// </summary>
public static class FaultOracle
{
    /// <summary>A device must have been registered this long before a send to be expected to get it live.</summary>
    public static readonly TimeSpan SettleBeforeSend = TimeSpan.FromSeconds(2);

    /// <summary>findings.csv keeps this many lines of each kind (a large run has a duplicate per member of many qun messages).</summary>
    private const int FindingsPerKind = 100_000;

    public static FaultSuiteResult Evaluate(
        ReadOnlySpan<SentMessage> messages, IReadOnlyList<FaultDevice> devices, int qunCount, IReadOnlyList<FaultWindow> windows,
        FaultSuiteOptions options, long trafficStart, long trafficEnd)
    {
        var figures = windows.Select(w => new WindowFigures(w.Name)
        {
            InjectedAtSeconds = w.Injected is { } at ? Seconds(at - trafficStart) : null,
        }).ToArray();
        var members = new List<FaultDevice>[qunCount];
        for (var q = 0; q < qunCount; q++)
        {
            members[q] = [];
        }

        foreach (var device in devices)
        {
            members[device.Qun].Add(device);
        }

        var deadline = Ticks(TimeSpan.FromSeconds(options.LiveDeadlineSeconds));
        var bound = Ticks(TimeSpan.FromSeconds(options.BoundSeconds));
        var settle = Ticks(SettleBeforeSend);
        var windowOf = new int[messages.Length];
        var failed = new bool[messages.Length];
        var single = new FaultDevice[1];
        var findings = new List<string> { "finding,window,number,kind,target,request_edge,sent_s,answered_s,status,code,seq,device,device_endpoint,device_registered_s,live_at_s,receipts" };
        var findingsOfKind = new Dictionary<string, int>(StringComparer.Ordinal);
        void Record(string what, int window, int number, in SentMessage m, FaultDevice? device, long? liveAt, int receipts = 0)
        {
            var n = findingsOfKind[what] = findingsOfKind.GetValueOrDefault(what) + 1;
            if (n <= FindingsPerKind)
            {
                findings.Add(Finding(what, window, number, m, device, liveAt, receipts));
            }
        }

        string Finding(string what, int window, int number, in SentMessage m, FaultDevice? device, long? liveAt, int receipts)
        {
            var span = device is null ? null : SpanAt(device, m.SentAt);
            return string.Create(CultureInfo.InvariantCulture,
                $"{what},{windows[window].Name},{number},{m.Kind},{m.Target},{m.Edge},{Seconds(m.SentAt - trafficStart):0.000},{Seconds(m.AnsweredAt - trafficStart):0.000},{m.Status},{m.Code},{m.Seq},{device?.Index},{span?.Endpoint},{Time(span?.From)},{Time(liveAt)},{receipts}");
        }

        string Time(long? at) => at is { } t ? Seconds(t - trafficStart).ToString("0.000", CultureInfo.InvariantCulture) : "";

        for (var i = 0; i < messages.Length; i++)
        {
            ref readonly var m = ref messages[i];
            var w = WindowIndex(windows, m.SentAt);
            windowOf[i] = w;
            var figure = figures[w];
            figure.Sent++;
            var withinBound = windows[w].Injected is { } injected && m.SentAt < injected + bound;
            if (!m.Accepted)
            {
                figure.Refused++;
                var code = m.Done ? m.Code ?? "unknown" : "unanswered";
                figure.RefusedBy[code] = figure.RefusedBy.GetValueOrDefault(code) + 1;
                failed[i] = true;
                Record("refused", w, i, m, null, null);

                // "No such session" for a session that stayed registered: the cluster lost a live session.
                if (m.Kind == MessageKind.Session && code == "not_found" && LiveEligible(devices[m.Target], m, settle, deadline))
                {
                    figure.LiveEligible++;
                    figure.SessionMissed++;
                    CountMiss(figure, withinBound);
                    Record("live-miss-session-not-found", w, i, m, devices[m.Target], null);
                }

                continue;
            }

            figure.Accepted++;
            IReadOnlyList<FaultDevice> recipients;
            if (m.Kind == MessageKind.Qun)
            {
                recipients = members[m.Target];
            }
            else
            {
                single[0] = devices[m.Target];
                recipients = single;
            }

            foreach (var device in recipients)
            {
                var receipts = m.Kind == MessageKind.Qun ? device.QunReceipts : device.Inbox;
                if (m.Seq > 0)
                {
                    var count = receipts.Count(m.Seq);
                    if (count == 0)
                    {
                        figure.Lost++;
                        Record("lost", w, i, m, device, null);
                    }

                    if (count > 1)
                    {
                        figure.Duplicates += count - 1;
                        Record("duplicate", w, i, m, device, receipts.FirstLive(m.Seq), count);
                    }
                }

                if (!LiveEligible(device, m, settle, deadline))
                {
                    continue;
                }

                figure.LiveEligible++;
                var liveAt = m.Seq > 0 ? receipts.FirstLive(m.Seq) : device.LiveOnlyReceipt(i);
                var live = liveAt is { } at && at <= m.AnsweredAt + deadline;
                if (m.Kind == MessageKind.Session)
                {
                    if (live)
                    {
                        figure.SessionLive++;
                    }
                    else
                    {
                        figure.SessionMissed++;
                    }
                }

                if (!live)
                {
                    failed[i] = true;
                    CountMiss(figure, withinBound);
                    Record(liveAt is null ? "live-miss" : "live-late", w, i, m, device, liveAt, receipts.Count(m.Seq));
                }
            }
        }

        var overall = new WindowFigures("whole run");
        CountGaps(messages, devices, windowOf, figures, overall);
        for (var w = 0; w < windows.Count; w++)
        {
            if (windows[w].Injected is { } injected)
            {
                Recovery(messages, windowOf, failed, w, injected, figures[w]);
            }

            Add(overall, figures[w]);
        }

        var result = new FaultSuiteResult
        {
            Windows = figures,
            Overall = overall,
            Devices = devices.Count,
            Reconnects = devices.Sum(d => (long)d.Reconnects),
            Unreadable = devices.Sum(d => d.Unreadable),
            OtherTimelines = devices.Sum(d => d.OtherTimelines),
            TrafficSeconds = Seconds(trafficEnd - trafficStart),
        };
        result.Findings.AddRange(findings);
        result.Notes.AddRange(findingsOfKind.Where(k => k.Value > FindingsPerKind).Select(k => $"findings.csv keeps the first {FindingsPerKind:N0} of {k.Value:N0} '{k.Key}' lines"));
        return result;
    }

    /// <summary>The registration the device had (last) at <paramref name="at"/>.</summary>
    private static ConnectedSpan? SpanAt(FaultDevice device, long at)
    {
        ConnectedSpan? found = null;
        foreach (var span in device.Spans)
        {
            if (span.From <= at)
            {
                found = span;
            }
        }

        return found;
    }

    private static void CountMiss(WindowFigures figure, bool withinBound)
    {
        if (withinBound)
        {
            figure.LiveMissesWithinBound++;
        }
        else
        {
            figure.LiveMissesAfterBound++;
        }
    }

    /// <summary>
    /// Whether the device had to get the message live: registered, on one connection, from <see cref="SettleBeforeSend"/>
    /// before the send until the live deadline after the answer; for a session push, on the targeted session.
    /// </summary>
    private static bool LiveEligible(FaultDevice device, in SentMessage m, long settle, long deadline)
    {
        foreach (var span in device.Spans)
        {
            if (span.Covers(m.SentAt - settle, m.AnsweredAt + deadline) && (m.Kind != MessageKind.Session || span.From == m.SessionFrom))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Holes in what each device holds, counted in the window of the message that has that seq (overall only when none does).</summary>
    private static void CountGaps(ReadOnlySpan<SentMessage> messages, IReadOnlyList<FaultDevice> devices, int[] windowOf, WindowFigures[] figures, WindowFigures overall)
    {
        Dictionary<(int Timeline, long Seq), int>? bySeq = null;
        foreach (var device in devices)
        {
            foreach (var (receipts, key) in new[] { (device.Inbox, device.Index), (device.QunReceipts, -1 - device.Qun) })
            {
                foreach (var seq in receipts.Holes())
                {
                    if (bySeq is null)
                    {
                        bySeq = [];
                        for (var i = 0; i < messages.Length; i++)
                        {
                            if (messages[i].Accepted && messages[i].Seq > 0)
                            {
                                bySeq[(messages[i].Kind == MessageKind.Qun ? -1 - messages[i].Target : messages[i].Target, messages[i].Seq)] = i;
                            }
                        }
                    }

                    if (bySeq.TryGetValue((key, seq), out var message))
                    {
                        figures[windowOf[message]].Gaps++;
                    }
                    else
                    {
                        overall.Gaps++;
                    }
                }
            }
        }
    }

    /// <summary>From the injection to the first good send after the last failed one (see <see cref="WindowFigures.RecoverySeconds"/>).</summary>
    private static void Recovery(ReadOnlySpan<SentMessage> messages, int[] windowOf, bool[] failed, int window, long injected, WindowFigures figure)
    {
        long? lastFailure = null;
        for (var i = 0; i < messages.Length; i++)
        {
            if (windowOf[i] == window && failed[i] && messages[i].SentAt >= injected && (lastFailure is null || messages[i].SentAt > lastFailure))
            {
                lastFailure = messages[i].SentAt;
            }
        }

        if (lastFailure is null)
        {
            figure.RecoverySeconds = 0;
            return;
        }

        long? firstGood = null;
        for (var i = 0; i < messages.Length; i++)
        {
            if (windowOf[i] == window && !failed[i] && messages[i].SentAt > lastFailure && (firstGood is null || messages[i].SentAt < firstGood))
            {
                firstGood = messages[i].SentAt;
            }
        }

        figure.NotRecovered = firstGood is null;
        figure.RecoverySeconds = firstGood is { } good ? Seconds(good - injected) : null;
    }

    private static void Add(WindowFigures total, WindowFigures part)
    {
        total.Sent += part.Sent;
        total.Accepted += part.Accepted;
        total.Refused += part.Refused;
        foreach (var (code, n) in part.RefusedBy)
        {
            total.RefusedBy[code] = total.RefusedBy.GetValueOrDefault(code) + n;
        }

        total.Lost += part.Lost;
        total.Gaps += part.Gaps;
        total.Duplicates += part.Duplicates;
        total.LiveMissesWithinBound += part.LiveMissesWithinBound;
        total.LiveMissesAfterBound += part.LiveMissesAfterBound;
        total.LiveEligible += part.LiveEligible;
        total.SessionLive += part.SessionLive;
        total.SessionMissed += part.SessionMissed;
        total.NotRecovered |= part.NotRecovered;
    }

    private static int WindowIndex(IReadOnlyList<FaultWindow> windows, long at)
    {
        var index = 0;
        for (var w = 1; w < windows.Count && windows[w].From <= at; w++)
        {
            index = w;
        }

        return index;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;
}
