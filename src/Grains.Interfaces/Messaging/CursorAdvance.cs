namespace AppMsg.Messaging;

/// <summary>One terminal's moved read cursors, by timeline address.</summary>
/// <param name="UserId">The user the cursors belong to.</param>
/// <param name="TerminalType">The terminal type the cursors are kept for.</param>
/// <param name="Cursors">The new cursor per timeline: the last seq every earlier message of which was acknowledged.</param>
/// <param name="DeviceId">The device the terminal named at REGISTER, or empty (the position shared by its type).</param>
[GenerateSerializer, Immutable]
public sealed record CursorAdvance(
    [property: Id(0)] string UserId,
    [property: Id(1)] int TerminalType,
    [property: Id(2)] IReadOnlyDictionary<string, long> Cursors,
    [property: Id(3)] string DeviceId = "");
