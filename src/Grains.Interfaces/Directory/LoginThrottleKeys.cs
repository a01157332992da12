using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace AppMsg.Directory;

/// <summary>The keys of <see cref="ILoginThrottleGrain"/>: bounded in length, and free of user names in clear.</summary>
public static class LoginThrottleKeys
{
    /// <summary>A tenant's user name, case-insensitive as user names are: <c>user:</c> and a SHA-256 of tenant and name.</summary>
    public static string ForUser(string tenantId, string username) =>
        "user:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenantId + "/" + username.ToLowerInvariant())));

    /// <summary>
    /// A client address: <c>ip:</c> and the IPv4 address, or the /64 prefix of an IPv6 address (one host
    /// usually holds a whole /64, so a finer key would cost an attacker nothing).
    /// </summary>
    public static string ForAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return "ip:" + new IPAddress(bytes) + "/64";
        }

        return "ip:" + address;
    }
}
