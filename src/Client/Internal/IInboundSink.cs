namespace AppMsg.Client.Internal;

/// <summary>Receives the messages a transport reads.</summary>
internal interface IInboundSink
{
    /// <summary>Handles one message; returns false to stop reading (the connection is ending).</summary>
    ValueTask<bool> OnMessageAsync(InboundMessage message);
}
