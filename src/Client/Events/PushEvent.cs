namespace AppMsg.Client;

/// <summary>A PUSH: a message envelope for this terminal (acknowledged automatically unless turned off).</summary>
/// <param name="Tid">The server's TID, to acknowledge with PUSHRESP.</param>
/// <param name="Offline">0 for a live message, non-zero for one replayed from storage.</param>
/// <param name="Flag">1 when the user also has a Web session online.</param>
/// <param name="Envelope">The message envelope: UTF-8 JSON <c>{"id","timeline","seq","from","to","type","content","ts",...}</c>.</param>
public sealed record PushEvent(uint Tid, ushort Offline, byte Flag, ReadOnlyMemory<byte> Envelope) : DeviceEvent;
