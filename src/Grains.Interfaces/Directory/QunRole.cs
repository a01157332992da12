namespace AppMsg.Directory;

/// <summary>A member's role in a qun.</summary>
public enum QunRole
{
    /// <summary>A plain member: reads and sends, may leave.</summary>
    Member = 0,

    /// <summary>Manages plain members (adds, removes), renames the qun and changes its topic.</summary>
    Admin = 1,

    /// <summary>The one owner: everything an admin may, plus roles, ownership transfer and dissolving.</summary>
    Owner = 2,
}
