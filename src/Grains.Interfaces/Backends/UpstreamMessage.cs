namespace AppMsg.Backends;

/// <summary>A message of an app's upstream timeline, as its backends receive it.</summary>
/// <param name="Seq">Its number in the upstream timeline: acknowledge it with this.</param>
/// <param name="From">The sender's address (<c>id@user</c>).</param>
/// <param name="Envelope">The stored envelope (UTF-8 JSON, section 3 of the protocol).</param>
[GenerateSerializer, Immutable]
public sealed record UpstreamMessage(
    [property: Id(0)] long Seq,
    [property: Id(1)] string From,
    [property: Id(2)] byte[] Envelope);
