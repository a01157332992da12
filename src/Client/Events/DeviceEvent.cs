namespace AppMsg.Client;

/// <summary>
/// Something that happened on a <see cref="DeviceClient"/>, in the order it happened: a message from the server
/// (<see cref="PushEvent"/>, <see cref="ImEvent"/>, <see cref="CallbackEvent"/>, <see cref="KickEvent"/>,
/// <see cref="SyncResponseEvent"/>) or a change of the connection (<see cref="DisconnectedEvent"/>, <see cref="ReconnectedEvent"/>).
/// </summary>
public abstract record DeviceEvent;
