namespace AppMsg.Backends;

/// <summary>A CALLBACK waiting for its target user's next REGISTER.</summary>
/// <param name="CallbackId">The callback's id.</param>
/// <param name="AppId">The app whose upstream timeline receives the answer.</param>
/// <param name="UserId">The target user.</param>
/// <param name="PayloadJson">The payload (one JSON value).</param>
/// <param name="TerminalTypes">Which terminal types receive it.</param>
/// <param name="ExpiresAt">After this it is dropped.</param>
[GenerateSerializer, Immutable]
public sealed record StoredCallback(
    [property: Id(0)] string CallbackId,
    [property: Id(1)] string AppId,
    [property: Id(2)] string UserId,
    [property: Id(3)] string PayloadJson,
    [property: Id(4)] int TerminalTypes,
    [property: Id(5)] DateTimeOffset ExpiresAt);
