using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>A request awaiting its response; continuations run off the receive loop.</summary>
internal sealed class PendingRequest(MessageType responseType)
    : TaskCompletionSource<ResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    /// <summary>The type of the response that completes this request (REGRESP for REGISTER, PONG for PING, ...).</summary>
    public MessageType ResponseType { get; } = responseType;
}
