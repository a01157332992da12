namespace AppMsg.Sessions;

/// <summary>A message on its way to terminals.</summary>
/// <param name="Timeline">The timeline it is stored in, or null for a message that is not stored (a bare session push).</param>
/// <param name="Seq">Its number in the timeline (0 when not stored).</param>
/// <param name="Envelope">The envelope devices receive (UTF-8 JSON).</param>
/// <param name="AsIm">Sent as IM (a user's message) rather than PUSH (an app's or the system's).</param>
/// <param name="From">The sender's address (terminals that muted it do not receive app broadcasts from it).</param>
/// <param name="ExpiresAtMs">When it expires (unix ms), 0 for never: an expired message is not sent, not even resent.</param>
/// <param name="StoredAtMs">When it was stored (unix ms), 0 when unknown: edges measure the publish-to-socket latency from it.</param>
[GenerateSerializer, Immutable]
public sealed record Delivery(
    [property: Id(0)] string? Timeline,
    [property: Id(1)] long Seq,
    [property: Id(2)] byte[] Envelope,
    [property: Id(3)] bool AsIm = false,
    [property: Id(4)] string? From = null,
    [property: Id(5)] long ExpiresAtMs = 0,
    [property: Id(6)] long StoredAtMs = 0);
