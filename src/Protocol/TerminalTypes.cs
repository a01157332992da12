namespace AppMsg.Protocol;

/// <summary>Checks on <see cref="TerminalType"/> values.</summary>
public static class TerminalTypes
{
    /// <summary>Whether <paramref name="type"/> names exactly one known terminal type, as a REGISTER must.</summary>
    public static bool IsSingle(TerminalType type)
    {
        var bits = (uint)type;
        return bits != 0 && (bits & ~(uint)TerminalType.All) == 0 && (bits & (bits - 1)) == 0;
    }

    /// <summary>Whether <paramref name="type"/> is a non-empty combination of known terminal types (a targeting mask).</summary>
    public static bool IsValidMask(TerminalType type)
    {
        var bits = (uint)type;
        return bits != 0 && (bits & ~(uint)TerminalType.All) == 0;
    }
}
