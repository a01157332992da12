namespace AppMsg.Grains.Timelines;

/// <summary>
/// Whose read position a cursor is: a terminal type and, for a terminal that named its device at REGISTER, that
/// device (empty: the position shared by the user's terminals of that type that named none).
/// </summary>
public readonly record struct CursorKey(int TerminalType, string DeviceId, string Timeline);
