using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>A KICK: the server ends this session; a <see cref="DisconnectedEvent"/> follows.</summary>
/// <param name="Reason">Why; after <see cref="KickReason.AnotherLogin"/>, <see cref="KickReason.MobileExclusion"/> and <see cref="KickReason.LoggedOut"/> the client does not reconnect.</param>
public sealed record KickEvent(KickReason Reason) : DeviceEvent;
