namespace AppMsg.Notifications;

/// <summary>
/// A user's devices registered for offline notifications (keyed by user id). A token registered by another
/// user moves to this one (one phone, one owner). Callers check who may act on the user; the grain checks
/// the app belongs to the user's tenant (else <c>not_found</c>) and the registration's fields.
/// </summary>
public interface IPushDevicesGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces the device <see cref="PushDevice.DeviceId"/>.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> naming the field; <c>not_found</c> for an app outside the user's tenant.</exception>
    Task RegisterAsync(PushDevice device);

    /// <summary>Removes a device; false when there was none of that id.</summary>
    Task<bool> RemoveAsync(string deviceId);

    /// <summary>The user's registered devices.</summary>
    Task<IReadOnlyList<PushDevice>> ListAsync();
}
