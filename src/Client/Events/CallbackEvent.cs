namespace AppMsg.Client;

/// <summary>A CALLBACK: a request the terminal answers with <see cref="DeviceClient.AnswerCallbackAsync"/> (within 60 s).</summary>
/// <param name="Tid">The server's TID, to answer with CBRESP.</param>
/// <param name="Payload">The JSON <c>{"id":..., "payload":...}</c>.</param>
public sealed record CallbackEvent(uint Tid, ReadOnlyMemory<byte> Payload) : DeviceEvent;
