using System.Net.Security;
using System.Runtime.InteropServices;

namespace AppMsg.Edge.Tls;

/// <summary>
/// Whether a TLS connection's handshake resumed an earlier session (a TLS 1.3 ticket or a TLS 1.2 session) instead of
/// a full handshake with the certificate and its signature. .NET does not tell, so OpenSSL's <c>SSL_session_reused</c>
/// is asked (<see cref="OpenSslNative"/>); works on either end of a connection.
/// </summary>
public static class TlsResumption
{
    private static readonly Lazy<SessionReused?> Reused = new(() =>
        OpenSslNative.Export("SSL_session_reused") is var function and not 0 ? Marshal.GetDelegateForFunctionPointer<SessionReused>(function) : null);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SessionReused(nint ssl);

    /// <summary>Whether <see cref="IsResumed"/> can answer here.</summary>
    public static bool Available => OpenSslNative.HandleReachable && Reused.Value is not null;

    /// <summary>True when the authenticated stream's session was resumed, false for a full handshake, null when it cannot be told.</summary>
    public static bool? IsResumed(SslStream stream) =>
        Reused.Value is { } reused && OpenSslNative.TryCall(stream, ssl => reused(ssl), out var result) ? result == 1 : null;
}
