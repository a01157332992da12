using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>What a registered device sends.</summary>
public sealed partial class DeviceClient
{
    /// <summary>Sends PING and waits for the PONG with its TID. The heartbeat does this by itself; this is for tests and diagnostics.</summary>
    /// <returns>The PONG code: <see cref="PongCode.Ok"/>, or <see cref="PongCode.NotRegistered"/>.</returns>
    /// <exception cref="InvalidOperationException">Not registered.</exception>
    /// <exception cref="TimeoutException">No PONG within the request timeout.</exception>
    /// <exception cref="IOException">The connection ended first.</exception>
    public async Task<PongCode> PingAsync(CancellationToken cancellationToken = default)
    {
        var response = await Current().RequestAsync(OutboundMessage.ForPing(tids.Next()), MessageType.Pong, cancellationToken)
            .ConfigureAwait(false);
        return (PongCode)response.Code;
    }

    /// <summary>
    /// Answers a server request by hand (with <see cref="DeviceClientOptions.AutoAcknowledge"/> off, or with another code):
    /// PUSHRESP, IMRESP or KICKRESP on the TID of the PUSH, IM or KICK.
    /// </summary>
    /// <param name="tid">The TID of the message acknowledged.</param>
    /// <param name="type"><see cref="MessageType.PushResp"/>, <see cref="MessageType.ImResp"/> or <see cref="MessageType.KickResp"/>.</param>
    /// <param name="code">The code; 0 means received.</param>
    /// <param name="cancellationToken">Stops waiting to send.</param>
    public Task AcknowledgeAsync(uint tid, MessageType type, byte code = 0, CancellationToken cancellationToken = default)
    {
        if (type is not (MessageType.PushResp or MessageType.ImResp or MessageType.KickResp))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Acknowledge with PUSHRESP, IMRESP or KICKRESP (CALLBACK: AnswerCallbackAsync).");
        }

        return Current().SendAsync(OutboundMessage.ForResponse(type, tid, code), cancellationToken);
    }

    /// <summary>Answers a <see cref="CallbackEvent"/> with CBRESP: a code and optionally bytes handed back to the caller.</summary>
    /// <param name="tid">The CALLBACK's TID.</param>
    /// <param name="code">The code.</param>
    /// <param name="answer">The answer; over the WebSocket text forms it must be UTF-8 (it travels as a JSON string).</param>
    /// <param name="cancellationToken">Stops waiting to send.</param>
    public Task AnswerCallbackAsync(uint tid, byte code, ReadOnlyMemory<byte> answer = default, CancellationToken cancellationToken = default)
    {
        if (Options.Transport is DeviceTransportKind.WebSocketJson or DeviceTransportKind.WebSocketGalopush && !Utf8.IsValid(answer.Span))
        {
            throw new ArgumentException("The text form carries only UTF-8 answers.", nameof(answer));
        }

        return Current().SendAsync(OutboundMessage.ForResponse(MessageType.CbResp, tid, code, answer), cancellationToken);
    }

    /// <summary>Sends an IM (section 4 of the protocol) and waits for its IMRESP.</summary>
    /// <param name="json">The message: <c>{"to","type","content","clientMsgId"}</c>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not one JSON object.</exception>
    public Task<ImResult> SendImAsync(string json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SendImAsync(Encoding.UTF8.GetBytes(json), cancellationToken);
    }

    /// <summary>Sends an IM given as UTF-8 JSON and waits for its IMRESP.</summary>
    /// <exception cref="ArgumentException"><paramref name="utf8Json"/> is not one JSON object.</exception>
    public async Task<ImResult> SendImAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        RequireObject(utf8Json.Span, nameof(utf8Json));
        var response = await Current().RequestAsync(OutboundMessage.ForImUp(tids.Next(), utf8Json), MessageType.ImResp, cancellationToken)
            .ConfigureAwait(false);
        var result = ImResult.FromResponse(response);
        if (result.IsSuccess && result.Timeline is { } timeline && result.Seq is { } seq)
        {
            // The server does not send a terminal its own message: the seq is not a gap.
            deliveries.Record(timeline, seq);
            if (result.SenderCopySeq is { } copySeq)
            {
                deliveries.Record($"{Options.UserId}@user", copySeq);
            }
        }

        return result;
    }

    /// <summary>
    /// Sends SYNC and waits for its SYNCRESP; the missed messages arrive as <see cref="PushEvent"/>s, and a
    /// <see cref="SyncResponseEvent"/> marks where they end.
    /// </summary>
    /// <param name="syncJson"><c>{"cursors": {"&lt;timeline&gt;": &lt;last seq seen&gt;}}</c>, or <c>{}</c>: since what the server last saw acknowledged.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ArgumentException"><paramref name="syncJson"/> is not one JSON object.</exception>
    public Task<SyncResult> SyncAsync(string syncJson = "{}", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(syncJson);
        return SyncCoreAsync(Encoding.UTF8.GetBytes(syncJson), nameof(syncJson), cancellationToken);
    }

    /// <summary>Sends SYNC with the last sequence number seen per timeline, and waits for its SYNCRESP.</summary>
    public Task<SyncResult> SyncAsync(IReadOnlyDictionary<string, long> cursors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursors);
        return SyncCoreAsync(SyncBody(cursors), nameof(cursors), cancellationToken);
    }

    /// <summary><c>{"cursors": {"&lt;timeline&gt;": &lt;seq&gt;, ...}}</c>.</summary>
    private static ReadOnlyMemory<byte> SyncBody(IReadOnlyDictionary<string, long> cursors)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("cursors");
            foreach (var (timeline, seq) in cursors)
            {
                writer.WriteNumber(timeline, seq);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenMemory;
    }

    private static void RequireObject(ReadOnlySpan<byte> json, string paramName)
    {
        if (!JsonBodies.TryValidateObject(json, out var error))
        {
            throw new ArgumentException($"Must be one JSON object ({error.Reason}).", paramName);
        }
    }

    private async Task<SyncResult> SyncCoreAsync(ReadOnlyMemory<byte> body, string paramName, CancellationToken cancellationToken)
    {
        RequireObject(body.Span, paramName);
        var response = await Current().RequestAsync(OutboundMessage.ForSync(tids.Next(), body), MessageType.SyncResp, cancellationToken)
            .ConfigureAwait(false);
        return SyncResult.FromResponse(response);
    }

    private ClientConnection Current()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return State == DeviceClientState.Registered && Volatile.Read(ref this.connection) is { } connection
            ? connection
            : throw new InvalidOperationException($"The client is not registered (it is {State}).");
    }
}
