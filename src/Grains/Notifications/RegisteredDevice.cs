using AppMsg.Notifications;

namespace AppMsg.Grains.Notifications;

/// <summary>A device as the store holds it: its owner, and the token (or Web Push endpoint) the provider knows it by.</summary>
public sealed record RegisteredDevice(string UserId, PushDevice Device, string Token);
