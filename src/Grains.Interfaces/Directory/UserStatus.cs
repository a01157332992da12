namespace AppMsg.Directory;

/// <summary>Whether a user may log in.</summary>
public enum UserStatus
{
    /// <summary>The user may log in and connect.</summary>
    Active = 0,

    /// <summary>Logins are refused; existing tokens were revoked when the user was disabled.</summary>
    Disabled = 1,
}
