namespace AppMsg;

/// <summary>
/// A refusal that callers can act on: <see cref="Code"/> is stable and machine-readable
/// (<c>not_found</c>, <c>forbidden</c>, <c>validation_failed</c>, <c>conflict</c>, <c>over_quota</c>, <c>unavailable</c>),
/// the same code the HTTP API puts in its problem details.
/// </summary>
[GenerateSerializer]
public sealed class AppMsgException : Exception
{
    /// <summary>A refusal with a code, a message and, for validation, per-field errors.</summary>
    public AppMsgException(string code, string message, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(message)
    {
        Code = code;
        Errors = errors;
    }

    /// <summary>An unexpected failure.</summary>
    public AppMsgException()
    {
        Code = ErrorCodes.Failed;
    }

    /// <summary>An unexpected failure with a message.</summary>
    public AppMsgException(string message) : base(message)
    {
        Code = ErrorCodes.Failed;
    }

    /// <summary>An unexpected failure with a message and a cause.</summary>
    public AppMsgException(string message, Exception innerException) : base(message, innerException)
    {
        Code = ErrorCodes.Failed;
    }

    /// <summary>The stable error code.</summary>
    [Id(0)]
    public string Code { get; private set; }

    /// <summary>For <c>validation_failed</c>: messages per field.</summary>
    [Id(1)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; private set; }

    /// <summary>For <c>over_quota</c>: seconds until the limit lets more through (the HTTP <c>Retry-After</c>); 0 when waiting does not help.</summary>
    [Id(2)]
    public int RetryAfterSeconds { get; private set; }

    /// <summary>A quota refusal; <paramref name="retryAfterSeconds"/> when the limit is one of time.</summary>
    public static AppMsgException OverQuota(string message, int retryAfterSeconds = 0) =>
        new(ErrorCodes.OverQuota, message) { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>A validation failure on one field.</summary>
    public static AppMsgException Invalid(string field, string message) =>
        new(ErrorCodes.ValidationFailed, message, new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The tenant is disabled by the operator.</summary>
    public static AppMsgException TenantDisabled() => new(ErrorCodes.TenantDisabled, "the tenant is disabled by the operator");

    /// <summary>Something that does not exist, or that the caller may not know exists.</summary>
    public static AppMsgException NotFound(string what) => new(ErrorCodes.NotFound, $"{what} was not found");
}
