namespace AppMsg.Bench.Faults;

/// <summary>What a suite message is addressed to.</summary>
public enum MessageKind : byte
{
    /// <summary><c>&lt;user&gt;@user</c>: stored in the user's inbox; its one device is the recipient.</summary>
    Direct,

    /// <summary><c>&lt;qun&gt;@qun</c>: stored in the qun's timeline; every member's device is a recipient.</summary>
    Qun,

    /// <summary><c>&lt;sessionId&gt;@session</c>: live to that session only (stored in the inbox when the answer has a seq).</summary>
    Session,
}
