using System.Text.Json;
using Orleans.Runtime;

namespace AppMsg.Edge.Api;

/// <summary>
/// Turns every failure of an API request into a problem detail: refusals keep their code, malformed
/// input is a 400, an unreachable cluster or database a 503, anything else a logged 500. Never a crash.
/// </summary>
public sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var problem = e switch
            {
                AppMsgException refusal => Problems.From(refusal),
                BadHttpRequestException { InnerException: JsonException json } => Problems.Create(ErrorCodes.ValidationFailed, "the body is not valid JSON for this request", Field(json)),
                BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => Problems.Create(ErrorCodes.TooLarge, "the body is too large"),
                BadHttpRequestException bad => Problems.Create(ErrorCodes.ValidationFailed, bad.Message),
                JsonException json => Problems.Create(ErrorCodes.ValidationFailed, "the body is not valid JSON for this request", Field(json)),
                // Every failure of the cluster or of the way to it (OrleansException covers SiloUnavailableException,
                // OrleansMessageRejectionException, ClientNotAvailableException and the storage wrappers): retry later.
                TimeoutException or OrleansException or Orleans.Runtime.Messaging.ConnectionFailedException =>
                    Problems.Create(ErrorCodes.Unavailable, "the cluster does not answer; retry later"),
                _ => null,
            };
            if (problem is null)
            {
                LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
                problem = Problems.Create(ErrorCodes.Failed, "an unexpected error occurred");
            }
            else if (problem.Status >= 500)
            {
                LogUnavailable(logger, context.Request.Method, context.Request.Path, FirstLine(e.Message));
            }
            else
            {
                LogRefused(logger, context.Request.Method, context.Request.Path, problem.Status ?? 0, problem.Title ?? "");
            }

            if (problem.Status == StatusCodes.Status413PayloadTooLarge || problem.Extensions["code"] as string == "too_large")
            {
                problem.Status = StatusCodes.Status413PayloadTooLarge;
            }

            if (e is AppMsgException { RetryAfterSeconds: > 0 } limited)
            {
                context.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await Problems.WriteAsync(context, problem);
        }
    }

    /// <summary>Orleans puts whole stack traces in some messages; the log line keeps the first line.</summary>
    private static string FirstLine(string message) =>
        message.AsSpan().IndexOfAny('\r', '\n') is var end and >= 0 ? message[..end] : message;

    private static Dictionary<string, string[]>? Field(JsonException json) =>
        json.Path is { Length: > 2 } path ? new() { [path.TrimStart('$', '.')] = [json.Message] } : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure of {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception e, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: {Status} {Title}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, int status, string title);
}
