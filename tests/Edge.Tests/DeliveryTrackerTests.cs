using AppMsg.Edge.Devices;
using Microsoft.Extensions.Time.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>
/// A connection's acknowledgement bookkeeping, on a clock the test moves: cursors never pass a message the terminal did
/// not confirm, an unacknowledged PUSH is sent once more after 5 s and then left to replay, and a live copy of a message
/// already replayed is not sent twice.
/// </summary>
public sealed class DeliveryTrackerTests
{
    private const string Timeline = "7@qun";
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public void Acknowledgements_in_order_move_the_cursor_and_report_it_once()
    {
        var tracker = new DeliveryTracker(clock);
        tracker.Start(Timeline, 10);
        Assert.True(tracker.TrySend(1, Push(11), attempt: 1, onlyIfNew: true));
        Assert.True(tracker.TrySend(2, Push(12), attempt: 1, onlyIfNew: true));

        Assert.True(tracker.Acknowledged(1));
        Assert.True(tracker.Acknowledged(2));
        Assert.False(tracker.Acknowledged(2));

        Assert.Equal(12, Assert.Single(tracker.TakeDirtyCursors()!).Value);
        Assert.Null(tracker.TakeDirtyCursors());
    }

    [Fact]
    public void An_acknowledgement_above_a_gap_waits_until_the_gap_is_filled()
    {
        var tracker = new DeliveryTracker(clock);
        tracker.Start(Timeline, 10);
        tracker.TrySend(1, Push(11), attempt: 1, onlyIfNew: true);
        tracker.TrySend(2, Push(12), attempt: 1, onlyIfNew: true);
        tracker.TrySend(3, Push(13), attempt: 1, onlyIfNew: true);

        Assert.False(tracker.Acknowledged(3));
        Assert.False(tracker.Acknowledged(2));
        Assert.Equal(10, tracker.CursorOf(Timeline));
        Assert.Null(tracker.TakeDirtyCursors());

        Assert.True(tracker.Acknowledged(1));
        Assert.Equal(13, tracker.CursorOf(Timeline));
    }

    [Fact]
    public void An_unacknowledged_push_is_resent_once_after_five_seconds_then_left_to_replay()
    {
        var tracker = new DeliveryTracker(clock);
        tracker.Start(Timeline, 0);
        var push = Push(1);
        tracker.TrySend(1, push, attempt: 1, onlyIfNew: true);

        clock.Advance(DeliveryTracker.ResendAfter - TimeSpan.FromMilliseconds(1));
        Assert.Null(tracker.TakeOverdue());

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Same(push, Assert.Single(tracker.TakeOverdue()!));
        Assert.Null(tracker.TakeOverdue());

        tracker.TrySend(2, push, attempt: 2, onlyIfNew: false);
        clock.Advance(DeliveryTracker.ResendAfter);
        Assert.Null(tracker.TakeOverdue());
        Assert.False(tracker.Acknowledged(2), "a given-up PUSH no longer moves the cursor; replay brings it again");
        Assert.Equal(0, tracker.CursorOf(Timeline));
    }

    [Fact]
    public void A_live_copy_of_a_message_already_sent_by_replay_is_not_sent_again()
    {
        var tracker = new DeliveryTracker(clock);
        tracker.Start(Timeline, 0);
        Assert.True(tracker.TrySend(1, Push(1), attempt: 1, onlyIfNew: false));
        Assert.True(tracker.TrySend(2, Push(2), attempt: 1, onlyIfNew: false));

        Assert.False(tracker.TrySend(3, Push(2), attempt: 1, onlyIfNew: true));
        Assert.True(tracker.TrySend(4, Push(3), attempt: 1, onlyIfNew: true));
    }

    [Fact]
    public void Skipped_messages_and_timelines_first_seen_live_keep_the_cursor_exact()
    {
        var tracker = new DeliveryTracker(clock);
        tracker.Start(Timeline, 4);
        tracker.Skipped(Timeline, 5);
        tracker.TrySend(1, Push(6), attempt: 1, onlyIfNew: true);
        Assert.True(tracker.Acknowledged(1));
        Assert.Equal(6, tracker.CursorOf(Timeline));

        tracker.TrySend(2, new PushDelivery(new byte[] { 1 }, "9@qun", 40), attempt: 1, onlyIfNew: true);
        Assert.Equal(39, tracker.CursorOf("9@qun"));
        Assert.True(tracker.Acknowledged(2));
        Assert.Equal(40, tracker.CursorOf("9@qun"));
    }

    private static PushDelivery Push(long seq) => new(new byte[] { 1 }, Timeline, seq);
}
