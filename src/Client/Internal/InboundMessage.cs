using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>
/// A message from the server, independent of the transport's form. <see cref="Payload"/> lies in the transport's
/// receive buffer and is valid only until the sink returns.
/// </summary>
/// <param name="Type">The message type.</param>
/// <param name="Tid">The TID.</param>
/// <param name="Code">The leading byte: the code of a response, the flag of a PUSH or down IM, the reason of a KICK.</param>
/// <param name="Offline">The offline field of a PUSH.</param>
/// <param name="Payload">
/// The rest: the envelope of a PUSH or IM, the JSON of a CALLBACK, the JSON after the code of REGRESP, IMRESP and SYNCRESP
/// (in the text form, the whole data object, code included).
/// </param>
internal readonly record struct InboundMessage(MessageType Type, uint Tid, byte Code, ushort Offline, ReadOnlyMemory<byte> Payload);
