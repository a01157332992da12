using System.Net.Security;
using System.Runtime.InteropServices;

namespace AppMsg.Edge.Tls;

/// <summary>
/// Tells OpenSSL to free a TLS connection's record buffers whenever they are empty (<c>SSL_MODE_RELEASE_BUFFERS</c>),
/// so an idle connection does not keep them: OpenSSL otherwise holds a read and a write buffer of about 17 KiB each
/// for the life of every connection. .NET's <see cref="SslStream"/> has no setting for it, so <c>SSL_ctrl</c> is
/// called on the connection's <c>SSL*</c> (<see cref="OpenSslNative"/>). Where that cannot be done,
/// <see cref="Available"/> says so and nothing happens.
/// </summary>
public static class OpenSslIdleBuffers
{
    private const int SslCtrlMode = 33;
    private const nint SslModeReleaseBuffers = 0x10;

    private static readonly Lazy<SslCtrl?> Ctrl = new(() =>
        OpenSslNative.Export("SSL_ctrl") is var function and not 0 ? Marshal.GetDelegateForFunctionPointer<SslCtrl>(function) : null);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint SslCtrl(nint ssl, int command, nint larg, nint parg);

    /// <summary>Whether <see cref="Release"/> can work here (Linux, OpenSSL loaded, the runtime's field as expected).</summary>
    public static bool Available => OpenSslNative.HandleReachable && Ctrl.Value is not null;

    /// <summary>Sets the mode on an authenticated stream's connection; false when it cannot be done.</summary>
    public static bool Release(SslStream stream) =>
        Ctrl.Value is { } ctrl && OpenSslNative.TryCall(stream, ssl => (int)ctrl(ssl, SslCtrlMode, SslModeReleaseBuffers, 0), out _);
}
