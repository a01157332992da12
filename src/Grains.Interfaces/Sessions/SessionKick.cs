namespace AppMsg.Sessions;

/// <summary>A session to end, and why (a KICK reason: 1 same terminal type, 2 Android/iOS exclusion, 3 timeout, 4 logged out, 5 draining).</summary>
[GenerateSerializer, Immutable]
public sealed record SessionKick([property: Id(0)] SessionInfo Session, [property: Id(1)] byte Reason);
