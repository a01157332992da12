namespace AppMsg.Directory;

/// <summary>Which users of a tenant may send direct messages to one another (apps and the operator always may).</summary>
public enum DirectMessagePolicy
{
    /// <summary>Any user to any user of the tenant.</summary>
    Anyone,

    /// <summary>Only to users who have the sender in their contacts.</summary>
    Contacts,

    /// <summary>Users do not message each other directly (quns and apps only).</summary>
    None,
}
