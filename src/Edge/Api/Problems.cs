using Microsoft.AspNetCore.Mvc;

namespace AppMsg.Edge.Api;

/// <summary>RFC 9457 problem details with AppMsg's stable <c>code</c>.</summary>
public static class Problems
{
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.OverQuota => StatusCodes.Status429TooManyRequests,
        ErrorCodes.TooManyAttempts => StatusCodes.Status429TooManyRequests,
        ErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        "timeout" => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails From(AppMsgException e) => Create(e.Code, e.Message, e.Errors);

    public static ProblemDetails Create(string code, string title, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = StatusOf(code),
            Title = title,
            Type = $"https://appmsg.dev/problems/{code}",
        };
        problem.Extensions["code"] = code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return problem;
    }

    /// <summary>Writes a problem as the response.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }
}
