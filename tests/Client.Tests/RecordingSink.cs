using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

/// <summary>Records what a transport's reader hands on, copying the payload out of the receive buffer.</summary>
internal sealed class RecordingSink : IInboundSink
{
    public List<(MessageType Type, uint Tid, byte Code, ushort Offline, string Payload)> Messages { get; } = [];

    public ValueTask<bool> OnMessageAsync(InboundMessage message)
    {
        Messages.Add((message.Type, message.Tid, message.Code, message.Offline, System.Text.Encoding.UTF8.GetString(message.Payload.Span)));
        return ValueTask.FromResult(true);
    }
}
