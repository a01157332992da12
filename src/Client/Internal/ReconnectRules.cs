using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>When a lost connection is worth reopening.</summary>
internal static class ReconnectRules
{
    /// <summary>
    /// Whether to reconnect after a connection ended: only with reconnect on, and not after a KICK that means
    /// another session took over or the user logged out (reconnecting would fight that session or be refused).
    /// </summary>
    public static bool ShouldReconnect(bool reconnectEnabled, KickReason? kick) =>
        reconnectEnabled && kick is not (KickReason.AnotherLogin or KickReason.MobileExclusion or KickReason.LoggedOut);
}
