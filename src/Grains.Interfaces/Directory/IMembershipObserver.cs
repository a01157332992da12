using Orleans.Concurrency;

namespace AppMsg.Directory;

/// <summary>Receives membership and mute changes (edges use them to start or stop live delivery without a reconnect).</summary>
public interface IMembershipObserver : IGrainObserver
{
    /// <summary>A user joined or left a group.</summary>
    [OneWay]
    Task OnMembershipChangedAsync(MembershipChange change);

    /// <summary>A user muted or unmuted a sender (edges stop or resume delivering that sender's broadcasts at once).</summary>
    [OneWay]
    Task OnMuteChangedAsync(MuteChange change);
}
