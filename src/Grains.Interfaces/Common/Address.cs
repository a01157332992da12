using System.Diagnostics.CodeAnalysis;

namespace AppMsg.Common;

/// <summary>
/// An address, <c>&lt;id&gt;@&lt;kind&gt;</c> (<c>42@user</c>, <c>7@qun</c>): the one parsed form used
/// everywhere for senders, recipients and timelines.
/// </summary>
/// <param name="Id">The id: 1 to 64 characters of letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</param>
/// <param name="Kind">What the id names.</param>
[GenerateSerializer, Immutable]
public readonly record struct Address([property: Id(0)] string Id, [property: Id(1)] AddressKind Kind)
{
    /// <summary>The longest id an address may carry.</summary>
    public const int MaxIdLength = 64;

    /// <summary>A user's address.</summary>
    public static Address User(string id) => new(id, AddressKind.User);

    /// <summary>A qun's address.</summary>
    public static Address Qun(string id) => new(id, AddressKind.Qun);

    /// <summary>An org's address.</summary>
    public static Address Org(string id) => new(id, AddressKind.Org);

    /// <summary>Parses <c>id@kind</c>; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Address address)
    {
        address = default;
        if (text is null)
        {
            return false;
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at > MaxIdLength || !TryParseKind(text.AsSpan(at + 1), out var kind))
        {
            return false;
        }

        var id = text.AsSpan(0, at);
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        address = new Address(text[..at], kind);
        return true;
    }

    /// <summary>Parses <c>id@kind</c>.</summary>
    /// <exception cref="FormatException">The text is not an address.</exception>
    public static Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an address of the form id@kind");

    /// <summary>The kind's name as it appears in addresses.</summary>
    public static string KindName(AddressKind kind) => kind switch
    {
        AddressKind.User => "user",
        AddressKind.Qun => "qun",
        AddressKind.Org => "org",
        AddressKind.Tenant => "tenant",
        AddressKind.App => "app",
        AddressKind.Session => "session",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Id}@{KindName(Kind)}";

    private static bool TryParseKind(ReadOnlySpan<char> text, out AddressKind kind)
    {
        kind = text switch
        {
            "user" => AddressKind.User,
            "qun" => AddressKind.Qun,
            "org" => AddressKind.Org,
            "tenant" => AddressKind.Tenant,
            "app" => AddressKind.App,
            "session" => AddressKind.Session,
            _ => (AddressKind)(-1),
        };
        return kind >= 0;
    }
}
