namespace AppMsg.Protocol;

/// <summary>The reason in a KICK.</summary>
public enum KickReason : byte
{
    /// <summary>Another login of the same user with the same terminal type.</summary>
    AnotherLogin = 1,
    /// <summary>Android/iOS mutual exclusion: a login on the other mobile platform.</summary>
    MobileExclusion = 2,
    /// <summary>The session timed out.</summary>
    SessionTimeout = 3,
    /// <summary>The user logged out or the token was revoked.</summary>
    LoggedOut = 4,
    /// <summary>The edge node is draining; reconnect elsewhere.</summary>
    EdgeDraining = 5,
}
