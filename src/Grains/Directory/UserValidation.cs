namespace AppMsg.Grains.Directory;

/// <summary>Field rules for users.</summary>
internal static class UserValidation
{
    public const int MaxUsernameLength = 64;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxDisplayNameLength = 100;
    public const int MaxUrlLength = 2048;

    public static string Username(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw AppMsgException.Invalid("username", "username must not be empty");
        }

        if (username.Length > MaxUsernameLength)
        {
            throw AppMsgException.Invalid("username", $"username must be at most {MaxUsernameLength} characters");
        }

        foreach (var c in username)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw AppMsgException.Invalid("username", "username must not contain white space or control characters");
            }
        }

        return username;
    }

    public static string Password(string? password)
    {
        if (password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            throw AppMsgException.Invalid("password", $"password must be {MinPasswordLength} to {MaxPasswordLength} characters");
        }

        return password;
    }

    public static string? Url(string field, string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw AppMsgException.Invalid(field, $"{field} must be an absolute http or https URL of at most {MaxUrlLength} characters");
        }

        return url;
    }
}
