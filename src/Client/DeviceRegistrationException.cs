using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>The server refused the REGISTER: REGRESP carried a non-zero code.</summary>
public sealed class DeviceRegistrationException : Exception
{
    /// <summary>Creates the exception for a refusal with <paramref name="code"/>.</summary>
    public DeviceRegistrationException(RegisterResultCode code)
        : base($"The server refused the registration with code {(byte)code} ({code}).") => Code = code;

    /// <summary>The REGRESP code.</summary>
    public RegisterResultCode Code { get; }

    /// <summary>
    /// Whether registering again cannot help: the credentials were refused (3), the version (4) or the terminal type (5)
    /// is not supported. Over quota (6) and busy (7) may pass.
    /// </summary>
    public bool IsPermanent => Code is RegisterResultCode.AuthenticationFailed
        or RegisterResultCode.UnsupportedVersion or RegisterResultCode.BadTerminalType;
}
