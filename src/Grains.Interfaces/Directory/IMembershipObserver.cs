using Orleans.Concurrency;

namespace AppMsg.Directory;

/// <summary>Receives membership changes (edges use them to start or stop live delivery without a reconnect).</summary>
public interface IMembershipObserver : IGrainObserver
{
    /// <summary>A user joined or left a group.</summary>
    [OneWay]
    Task OnMembershipChangedAsync(MembershipChange change);
}
