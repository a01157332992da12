using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AppMsg.Backends;
using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace AppMsg.Edge.Api;

/// <summary>
/// <c>POST /v1/callbacks</c>: a CALLBACK to one session or to a user's terminals, answered when a terminal
/// answers (200), when it times out (504 <c>timeout</c>), at once when no target is online (409 <c>offline</c>),
/// or, with <c>storeIfOffline</c>, stored for the user's next REGISTER (202).
/// </summary>
public static class CallbackEndpoints
{
    public const string OfflineCode = "offline";
    public const string TimeoutCode = "timeout";

    public sealed record CallbackBody(string? To, JsonElement? Payload, int? TerminalTypes, int? TimeoutMs, bool? StoreIfOffline, string? AppId, int? StoreForSeconds);

    public sealed record CallbackAnswer(string CallbackId, int Code, string SessionId, string Answer, string? AnswerText);

    public sealed record CallbackStored(string CallbackId, bool Stored);

    public static IEndpointRouteBuilder MapCallbacks(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/callbacks", async (CallbackBody body, Caller caller, IClusterClient cluster, HttpContext context) =>
        {
            if (caller.Kind == CallerKind.User)
            {
                throw new AppMsgException(ErrorCodes.Forbidden, "only the operator and apps send callbacks");
            }

            var to = Validate.Required(body.To, "to");
            if (!Address.TryParse(to, out var target) || target.Kind is not (AddressKind.User or AddressKind.Session))
            {
                throw AppMsgException.Invalid("to", "to must be <sessionId>@session or <userId>@user");
            }

            if (body.Payload is not { ValueKind: not JsonValueKind.Undefined } payload)
            {
                throw AppMsgException.Invalid("payload", "payload is required (any JSON value)");
            }

            await EnsureCanReachAsync(target, caller, cluster);
            var appId = caller.Kind == CallerKind.App ? caller.AppId : body.AppId;
            if (body.StoreIfOffline == true && caller.IsOperator)
            {
                var app = Ids.IsValid(appId) ? await cluster.GetGrain<IAppGrain>(appId!).GetAsync() : null;
                if (app is null)
                {
                    throw AppMsgException.Invalid("appId", "storeIfOffline needs appId: the app whose upstream receives the answer");
                }
            }

            var request = new CallbackRequest(target.ToString(), payload.GetRawText(), body.TerminalTypes ?? 31,
                body.TimeoutMs ?? 60_000, body.StoreIfOffline ?? false, appId, body.StoreForSeconds ?? 86_400);
            var result = await cluster.CallAsync(request, context.RequestAborted);
            return result.Outcome switch
            {
                CallbackOutcome.Answered => Results.Ok(new CallbackAnswer(result.CallbackId, result.Code, result.SessionId!,
                    Convert.ToBase64String(result.Answer ?? []), Utf8.IsValid(result.Answer) ? Encoding.UTF8.GetString(result.Answer ?? []) : null)),
                CallbackOutcome.Stored => Results.Json(new CallbackStored(result.CallbackId, Stored: true), statusCode: StatusCodes.Status202Accepted),
                CallbackOutcome.Offline => Problem(OfflineCode, StatusCodes.Status409Conflict, "no target session is online", result.CallbackId),
                _ => Problem(TimeoutCode, StatusCodes.Status504GatewayTimeout, "no terminal answered in time", result.CallbackId),
            };
        });
        return api;
    }

    private static IResult Problem(string code, int status, string title, string callbackId)
    {
        var problem = Problems.Create(code, title);
        problem.Status = status;
        problem.Extensions["callbackId"] = callbackId;
        return Results.Problem(problem);
    }

    /// <summary>Apps reach users and sessions of their tenant, the operator all; 404 otherwise. A session that is not live answers "offline".</summary>
    private static async Task EnsureCanReachAsync(Address target, Caller caller, IClusterClient cluster)
    {
        if (!Ids.IsValid(target.Id))
        {
            throw AppMsgException.NotFound(Address.KindName(target.Kind));
        }

        if (target.Kind == AddressKind.User)
        {
            var user = await cluster.GetGrain<IUserGrain>(target.Id).GetAsync() ?? throw AppMsgException.NotFound("user");
            caller.EnsureCanSee(user.TenantId, "user");
        }
        else if (await cluster.GetGrain<ISessionGrain>(target.Id).GetAsync() is { } session)
        {
            caller.EnsureCanSee(session.TenantId, "session");
        }
    }
}
