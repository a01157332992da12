namespace AppMsg.Client;

/// <summary>The client reconnected and registered again after a <see cref="DisconnectedEvent"/>.</summary>
/// <param name="Registration">The new REGRESP.</param>
/// <param name="Attempts">How many attempts it took (1 when the first one worked).</param>
public sealed record ReconnectedEvent(RegisterResult Registration, int Attempts) : DeviceEvent;
