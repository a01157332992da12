namespace AppMsg.Protocol;

/// <summary>Terminal kinds as bit values; a session has exactly one, targeting may combine several.</summary>
[Flags]
public enum TerminalType : byte
{
    /// <summary>No terminal type; never valid in a REGISTER.</summary>
    None = 0,
    /// <summary>An Android device.</summary>
    Android = 1,
    /// <summary>An iOS device.</summary>
    Ios = 2,
    /// <summary>A Windows Phone device.</summary>
    WinPhone = 4,
    /// <summary>A web browser.</summary>
    Web = 8,
    /// <summary>A desktop client.</summary>
    Pc = 16,
    /// <summary>Every terminal type (for targeting only).</summary>
    All = Android | Ios | WinPhone | Web | Pc,
}
