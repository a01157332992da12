using Microsoft.AspNetCore.Mvc;

namespace AppMsg.Edge.Api;

/// <summary>RFC 9457 problem details with AppMsg's stable <c>code</c>.</summary>
public static class Problems
{
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.TenantDisabled => StatusCodes.Status403Forbidden,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.OverQuota => StatusCodes.Status429TooManyRequests,
        ErrorCodes.TooManyAttempts => StatusCodes.Status429TooManyRequests,
        ErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.RangeNotSatisfiable => StatusCodes.Status416RangeNotSatisfiable,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        "timeout" => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The problem for an error status the framework set without a body (no route matched, a method the route does
    /// not take, a content type it does not read): the same status, with a stable code.
    /// </summary>
    public static ProblemDetails ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => Create(ErrorCodes.NotFound, "no such route or resource"),
        StatusCodes.Status405MethodNotAllowed => Create(ErrorCodes.MethodNotAllowed, "this route does not take this method"),
        StatusCodes.Status415UnsupportedMediaType => Create(ErrorCodes.UnsupportedMediaType, "the body must be application/json"),
        StatusCodes.Status413PayloadTooLarge => Create(ErrorCodes.TooLarge, "the body is too large"),
        StatusCodes.Status401Unauthorized => Create(ErrorCodes.Unauthorized, "a valid credential is required"),
        StatusCodes.Status403Forbidden => Create(ErrorCodes.Forbidden, "this credential may not do this"),
        StatusCodes.Status503ServiceUnavailable => Create(ErrorCodes.Unavailable, "retry later"),
        >= 500 => Create(ErrorCodes.Failed, "an unexpected error occurred"),
        _ => WithStatus(Create(ErrorCodes.ValidationFailed, "the request is malformed"), status),
    };

    private static ProblemDetails WithStatus(ProblemDetails problem, int status)
    {
        problem.Status = status;
        return problem;
    }

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
