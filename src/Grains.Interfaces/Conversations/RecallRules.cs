namespace AppMsg.Conversations;

/// <summary>
/// Who may recall a message, and until when: its sender within the tenant's recall window
/// (<see cref="AppMsg.Directory.TenantSettings.RecallWindowSeconds"/>); the operator and the apps of the message's tenant
/// at any time while it is stored (moderation). Anyone else is refused with <c>forbidden</c>.
/// </summary>
public static class RecallRules
{
    /// <summary>The window when a tenant states none: 2 minutes.</summary>
    public const int DefaultWindowSeconds = 120;

    /// <summary>The largest window a tenant may set: a day.</summary>
    public const int MaxWindowSeconds = 86_400;

    /// <summary>The tenant's window in seconds.</summary>
    public static int WindowOf(AppMsg.Directory.TenantSettings? settings) => settings?.RecallWindowSeconds ?? DefaultWindowSeconds;

    /// <exception cref="AppMsgException"><c>validation_failed</c> for a window outside 0 to a day.</exception>
    public static void ValidateWindow(AppMsg.Directory.TenantSettings? settings)
    {
        if (settings?.RecallWindowSeconds is < 0 or > MaxWindowSeconds)
        {
            throw AppMsgException.Invalid("recallWindowSeconds", $"recallWindowSeconds must be 0 to {MaxWindowSeconds}");
        }
    }

    /// <exception cref="AppMsgException"><c>forbidden</c> when the caller may not recall it (now).</exception>
    public static void EnsureMayRecall(StoredMessageInfo message, string? callerAddress, bool moderator, int windowSeconds, DateTimeOffset now)
    {
        if (moderator)
        {
            return;
        }

        if (callerAddress is null || callerAddress != message.Sender)
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "only the sender, the operator or an app of the tenant may recall a message");
        }

        if (now - message.CreatedAt > TimeSpan.FromSeconds(windowSeconds))
        {
            throw new AppMsgException(ErrorCodes.Forbidden, $"a message can be recalled within {windowSeconds} seconds of sending");
        }
    }
}
