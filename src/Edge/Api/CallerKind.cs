namespace AppMsg.Edge.Api;

/// <summary>The three kinds of API caller, each with its own credential.</summary>
public enum CallerKind
{
    /// <summary>The admin key: everything, every tenant.</summary>
    Operator,

    /// <summary><c>appId:secret</c>: its own tenant.</summary>
    App,

    /// <summary>A login token: itself, its contacts and its quns.</summary>
    User,
}
