using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>What the connection does with each message from the server.</summary>
internal sealed partial class ClientConnection
{
    /// <summary>
    /// Completes waiting requests with their responses, queues events, and acknowledges them when told to; returns
    /// false to stop reading (after a KICK).
    /// </summary>
    public async ValueTask<bool> OnMessageAsync(InboundMessage message)
    {
        switch (message.Type)
        {
            case MessageType.RegResp:
                if (message.Code == (byte)RegisterResultCode.Ok && message.Tid == Volatile.Read(ref registerTid) && Registration is null)
                {
                    Registration = RegisterResult.FromResponse(new ResponseMessage(message.Code, message.Payload.ToArray()));
                    onRegistered(this);
                }

                pending.TryComplete(message.Tid, message.Type, message.Code, message.Payload.Span);
                return true;
            case MessageType.Pong or MessageType.ImResp:
                pending.TryComplete(message.Tid, message.Type, message.Code, message.Payload.Span);
                return true;
            case MessageType.SyncResp:
                var result = SyncResult.FromResponse(new ResponseMessage(message.Code, message.Payload.ToArray()));
                pending.TryComplete(message.Tid, message.Type, message.Code, message.Payload.Span);
                if (Interlocked.CompareExchange(ref quietSyncTid, -1, message.Tid) != message.Tid)
                {
                    events.TryWrite(new SyncResponseEvent(message.Tid, result));
                }

                return true;
            case MessageType.Push:
                if (ConversationEventReader.TryReadEvent(message.Payload.Span, out var signal))
                {
                    if (signal is not null)
                    {
                        events.TryWrite(signal);
                    }

                    return await AutoAcknowledgeAsync(MessageType.PushResp, message.Tid).ConfigureAwait(false);
                }

                if (!deliveries.Admit(message.Payload.Span))
                {
                    return await AutoAcknowledgeAsync(MessageType.PushResp, message.Tid, duplicate: true).ConfigureAwait(false);
                }

                events.TryWrite(new PushEvent(message.Tid, message.Offline, message.Code, message.Payload.ToArray()));
                WriteRecall(message.Payload.Span);
                return await AutoAcknowledgeAsync(MessageType.PushResp, message.Tid).ConfigureAwait(false);
            case MessageType.Im:
                if (!deliveries.Admit(message.Payload.Span))
                {
                    return await AutoAcknowledgeAsync(MessageType.ImResp, message.Tid, duplicate: true).ConfigureAwait(false);
                }

                events.TryWrite(new ImEvent(message.Tid, message.Code, message.Payload.ToArray()));
                WriteRecall(message.Payload.Span);
                return await AutoAcknowledgeAsync(MessageType.ImResp, message.Tid).ConfigureAwait(false);
            case MessageType.Callback:
                events.TryWrite(new CallbackEvent(message.Tid, message.Payload.ToArray()));
                return true;
            case MessageType.Kick:
                var reason = (KickReason)message.Code;
                Volatile.Write(ref kick, message.Code + 1);
                events.TryWrite(new KickEvent(reason));
                if (!options.AutoAcknowledge)
                {
                    // The server closes the connection once it has the KICKRESP (or after its timeout).
                    return true;
                }

                await AutoAcknowledgeAsync(MessageType.KickResp, message.Tid).ConfigureAwait(false);
                Interlocked.CompareExchange(ref closeReason, $"kicked ({reason})", null);
                return false;
            default:
                return true;
        }
    }

    /// <summary>Acknowledges when told to, and always a dropped duplicate (the application never sees it to acknowledge it).</summary>
    /// <summary>A stored <c>recall</c> notice is also raised as a <see cref="RecallEvent"/>, after the message itself.</summary>
    private void WriteRecall(ReadOnlySpan<byte> envelope)
    {
        if (ConversationEventReader.TryReadRecall(envelope, out var recall))
        {
            events.TryWrite(recall!);
        }
    }

    private async ValueTask<bool> AutoAcknowledgeAsync(MessageType type, uint tid, bool duplicate = false)
    {
        if (!options.AutoAcknowledge && !duplicate)
        {
            return true;
        }

        try
        {
            // PUSHRESP and IMRESP leave with the others of the same read; KICKRESP at once.
            var response = OutboundMessage.ForResponse(type, tid, 0);
            if (type == MessageType.KickResp)
            {
                await transport.SendAsync(response, lifetime.Token).ConfigureAwait(false);
            }
            else
            {
                await transport.QueueAcknowledgementAsync(response, lifetime.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            Interlocked.CompareExchange(ref closeReason, $"could not acknowledge: {e.Message}", null);
            return false;
        }
    }
}
