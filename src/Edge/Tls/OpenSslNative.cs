using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AppMsg.Edge.Tls;

/// <summary>
/// What the edge reaches under .NET's <see cref="SslStream"/> on Linux, where .NET exposes no setting or query for it:
/// the connection's OpenSSL <c>SSL*</c>, taken from the stream's private handle field, and functions of the one libssl
/// this process has loaded (the one .NET uses). Where either is not as expected (another platform or runtime), the
/// callers get "cannot" and do nothing; the tests check both work on the supported platform.
/// </summary>
internal static class OpenSslNative
{
    private static readonly FieldInfo? HandleField = typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly Lazy<nint> Library = new(FindLibssl);

    /// <summary>Whether the stream's handle can be reached on this runtime at all.</summary>
    public static bool HandleReachable => HandleField is not null;

    /// <summary>The address of a libssl function, or 0 (not Linux, no single libssl loaded, no such export).</summary>
    public static nint Export(string name) =>
        Library.Value != 0 && NativeLibrary.TryGetExport(Library.Value, name, out var function) ? function : 0;

    /// <summary>
    /// Runs <paramref name="call"/> on an authenticated stream's <c>SSL*</c>, holding a reference on the handle meanwhile
    /// so a concurrent close cannot free it; false when the handle is not there (not authenticated, closed, not OpenSSL).
    /// </summary>
    public static bool TryCall(SslStream stream, Func<nint, int> call, out int result)
    {
        result = 0;
        if (HandleField?.GetValue(stream) is not SafeHandle { IsInvalid: false, IsClosed: false } handle
            || handle.GetType().Name != "SafeSslHandle")
        {
            return false;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            result = call(handle.DangerousGetHandle());
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

    private static nint FindLibssl()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            var libraries = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libssl.so", StringComparison.Ordinal))
                .Select(fields => fields[5])
                .Distinct()
                .ToList();
            return libraries.Count == 1 && NativeLibrary.TryLoad(libraries[0], out var library) ? library : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
