namespace AppMsg.Common;

/// <summary>What an address names.</summary>
public enum AddressKind
{
    /// <summary><c>id@user</c>: a user and their inbox timeline.</summary>
    User,

    /// <summary><c>id@qun</c>: a group.</summary>
    Qun,

    /// <summary><c>id@org</c>: a node of a tenant's org tree.</summary>
    Org,

    /// <summary><c>id@tenant</c>: a whole tenant.</summary>
    Tenant,

    /// <summary><c>id@app</c>: an application (its broadcasts, or its upstream).</summary>
    App,

    /// <summary><c>id@session</c>: one live connection.</summary>
    Session,
}
