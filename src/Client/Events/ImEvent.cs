namespace AppMsg.Client;

/// <summary>A down IM: an instant message envelope (acknowledged with IMRESP automatically unless turned off).</summary>
/// <param name="Tid">The server's TID, to acknowledge with IMRESP.</param>
/// <param name="Flag">The flag byte the server sent.</param>
/// <param name="Envelope">The message envelope, UTF-8 JSON.</param>
public sealed record ImEvent(uint Tid, byte Flag, ReadOnlyMemory<byte> Envelope) : DeviceEvent;
