namespace AppMsg.Grains.Messaging;

[GenerateSerializer]
public sealed class UserCursorsState
{
    /// <summary>Cursors keyed by "terminalType|timeline".</summary>
    [Id(0)] public Dictionary<string, long> Cursors { get; set; } = [];
}
