using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AppMsg.Edge.Tls;

/// <summary>
/// Tells OpenSSL to free a TLS connection's record buffers whenever they are empty (<c>SSL_MODE_RELEASE_BUFFERS</c>),
/// so an idle connection does not keep them: OpenSSL otherwise holds a read and a write buffer of about 17 KiB each
/// for the life of every connection. .NET's <see cref="SslStream"/> has no setting for it, so the connection's
/// <c>SSL*</c> is taken from the stream's private handle field, and <c>SSL_ctrl</c> from the libssl this process has
/// loaded. Where either is not as expected (another platform or runtime), nothing is done and
/// <see cref="Available"/> says so; the tests check it is available on the supported platform.
/// </summary>
public static class OpenSslIdleBuffers
{
    private const int SslCtrlMode = 33;
    private const nint SslModeReleaseBuffers = 0x10;

    private static readonly FieldInfo? HandleField = typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly Lazy<SslCtrl?> Ctrl = new(FindSslCtrl);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint SslCtrl(nint ssl, int command, nint larg, nint parg);

    /// <summary>Whether <see cref="Release"/> can work here (Linux, OpenSSL loaded, the runtime's field as expected).</summary>
    public static bool Available => HandleField is not null && Ctrl.Value is not null;

    /// <summary>Sets the mode on an authenticated stream's connection; false when it cannot be done.</summary>
    public static bool Release(SslStream stream)
    {
        if (HandleField?.GetValue(stream) is not SafeHandle { IsInvalid: false, IsClosed: false } handle
            || handle.GetType().Name != "SafeSslHandle"
            || Ctrl.Value is not { } ctrl)
        {
            return false;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            ctrl(handle.DangerousGetHandle(), SslCtrlMode, SslModeReleaseBuffers, 0);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The <c>SSL_ctrl</c> of the one libssl mapped into this process (the one .NET uses), or null.</summary>
    private static SslCtrl? FindSslCtrl()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var libraries = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libssl.so", StringComparison.Ordinal))
                .Select(fields => fields[5])
                .Distinct()
                .ToList();
            if (libraries.Count != 1 || !NativeLibrary.TryLoad(libraries[0], out var library)
                || !NativeLibrary.TryGetExport(library, "SSL_ctrl", out var function))
            {
                return null;
            }

            return Marshal.GetDelegateForFunctionPointer<SslCtrl>(function);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
