namespace AppMsg;

/// <summary>The stable error codes shared by grains, the HTTP API and the device protocol mapping.</summary>
public static class ErrorCodes
{
    /// <summary>The resource does not exist or is outside the caller's reach.</summary>
    public const string NotFound = "not_found";
    /// <summary>The caller is known but lacks the right.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>The tenant is disabled by the operator: its users, apps and devices are refused, and messages to it.</summary>
    public const string TenantDisabled = "tenant_disabled";
    /// <summary>The credential is missing or wrong.</summary>
    public const string Unauthorized = "unauthorized";
    /// <summary>The input is malformed; see the per-field errors.</summary>
    public const string ValidationFailed = "validation_failed";
    /// <summary>The resource exists already, or the change clashes with its state.</summary>
    public const string Conflict = "conflict";
    /// <summary>A quota or limit would be exceeded.</summary>
    public const string OverQuota = "over_quota";
    /// <summary>Too many failed login attempts: wait for the <c>Retry-After</c> seconds.</summary>
    public const string TooManyAttempts = "too_many_attempts";
    /// <summary>The content or body is larger than the configured limit.</summary>
    public const string TooLarge = "too_large";
    /// <summary>The route exists but not with this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";
    /// <summary>The body's content type is not one the route reads (JSON routes take <c>application/json</c>).</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";
    /// <summary>A <c>Range</c> lies past the end of the media object.</summary>
    public const string RangeNotSatisfiable = "range_not_satisfiable";
    /// <summary>A dependency (the database, the cluster) cannot answer now; retry.</summary>
    public const string Unavailable = "unavailable";
    /// <summary>An unexpected failure.</summary>
    public const string Failed = "failed";
}
