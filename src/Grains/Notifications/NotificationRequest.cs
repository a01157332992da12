using AppMsg.Common;
using AppMsg.Notifications;

namespace AppMsg.Grains.Notifications;

/// <summary>A stored message that may call for notifications, as its timeline grain hands it to the pipeline.</summary>
/// <param name="Timeline">The timeline it is stored in.</param>
/// <param name="Kind">The timeline's kind: a user's inbox, a qun, or an org, tenant or app broadcast.</param>
/// <param name="TargetId">The user (inbox), qun, org, tenant or app id.</param>
/// <param name="AcceptedAt">When the timeline grain accepted it (<see cref="System.Diagnostics.Stopwatch"/> ticks), for the latency figure.</param>
public sealed record NotificationRequest(
    string Timeline,
    AddressKind Kind,
    string TargetId,
    long Seq,
    string MessageId,
    string From,
    string Type,
    string Content,
    int TerminalTypes,
    DateTimeOffset ExpiresAt,
    NotificationOverride? Override,
    long AcceptedAt);
