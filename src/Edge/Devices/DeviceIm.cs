using System.Text;
using AppMsg.Directory;
using AppMsg.Edge.Cluster;
using AppMsg.Messaging;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Device IM (an up IM frame): who may write to whom, the quota, storing the message in its timeline, and the IMRESP
/// answer. Conversation commands (read marks, recall, typing) go to <see cref="Conversations.DeviceConversationCommands"/>.
/// </summary>
public static class DeviceIm
{
    /// <summary>An up IM of <paramref name="session"/>: checked, stored and answered (the IMRESP code and JSON).</summary>
    public static async Task<(ImResultCode Code, ReadOnlyMemory<byte> Answer)> HandleAsync(
        DeviceServices services, DeviceConnection connection, SessionInfo session, ReadOnlyMemory<byte> json)
    {
        if (session.UserId is not { } userId)
        {
            return (ImResultCode.NotAllowed, default);
        }

        string? to;
        string? type;
        string? content;
        string? clientMsgId;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var root = document.RootElement;
            to = StringOf(root, "to");
            type = StringOf(root, "type");
            clientMsgId = StringOf(root, "clientMsgId");
            content = root.TryGetProperty("content", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.Object ? c.GetRawText() : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return (ImResultCode.BadRequest, default);
        }

        if (to is null || type is null || content is null || !Common.Address.TryParse(to, out var target) || clientMsgId is { Length: 0 or > 128 })
        {
            return (ImResultCode.BadRequest, default);
        }

        if (target.Kind is not (Common.AddressKind.User or Common.AddressKind.Qun or Common.AddressKind.App) || !Ids.IsValid(target.Id))
        {
            return (ImResultCode.NotAllowed, default);
        }

        try
        {
            if (!await ClusterRetry.RunAsync(() => MayWriteToAsync(services, connection, session, target, userId)))
            {
                return (ImResultCode.NotAllowed, default);
            }

            if (Conversations.DeviceConversationCommands.Handles(type))
            {
                return await services.ConversationCommands.HandleAsync(session, userId, target, type, content);
            }

            // A user's message to an app goes up to the app's backends, not to its broadcast timeline. Tried again
            // while a silo's death is detected; the client message id (ours when the terminal sent none) keeps it stored once.
            var timeline = target.Kind == Common.AddressKind.App ? Backends.AppUpstream.TimelineOf(target.Id) : target.ToString();
            var ttl = await services.Quotas.TakeSendAsync(session.TenantId, appId: null, targets: 1, ttlSeconds: null);
            var message = new NewMessage($"{userId}@user", target.ToString(), type, content, TtlSeconds: ttl, ExceptSessionId: session.SessionId,
                ClientMsgId: ClusterRetry.RepeatableClientMsgId(clientMsgId));
            MessageReceipt receipt;
            try
            {
                receipt = await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<ITimelineGrain>(timeline).AppendAsync(message));
            }
            catch
            {
                services.Quotas.GiveBackSend(session.TenantId, appId: null, targets: 1);
                throw;
            }

            Metrics.EdgeMetrics.Accepted(1);
            services.Stats.AddMessage(session.TenantId, null, target.Kind, Encoding.UTF8.GetByteCount(content));

            var copy = receipt.SenderCopySeq is { } copySeq ? $",\"senderCopySeq\":{copySeq}" : "";
            return (ImResultCode.Ok, Encoding.UTF8.GetBytes(
                $"{{\"id\":\"{receipt.Id}\",\"timeline\":\"{receipt.Timeline}\",\"seq\":{receipt.Seq}{copy}}}"));
        }
        catch (AppMsgException e)
        {
            return (e.Code switch
            {
                ErrorCodes.TooLarge => ImResultCode.TooLarge,
                ErrorCodes.ValidationFailed => ImResultCode.BadRequest,
                ErrorCodes.OverQuota => ImResultCode.OverQuota,
                ErrorCodes.Forbidden or ErrorCodes.NotFound or ErrorCodes.TenantDisabled => ImResultCode.NotAllowed,
                _ => ImResultCode.Failed,
            }, default);
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException)
        {
            return (ImResultCode.Failed, default);
        }
    }

    /// <summary>
    /// Users and apps of the same tenant, and quns the user belongs to. A qun this connection is subscribed to is one
    /// the user belongs to (membership events keep the subscriptions current), so the common case costs no call.
    /// </summary>
    private static async Task<bool> MayWriteToAsync(DeviceServices services, DeviceConnection connection, SessionInfo session, Common.Address target, string userId)
    {
        if (target.Kind == Common.AddressKind.Qun)
        {
            return connection.IsSubscribedTo(target.ToString()) || await services.Cluster.GetGrain<IQunGrain>(target.Id).IsMemberAsync(userId);
        }

        return await services.Tenants.TenantOfAsync(target) == session.TenantId;
    }

    private static string? StringOf(System.Text.Json.JsonElement root, string name) =>
        root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty(name, out var value)
            && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
}
