namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class ContactsState
{
    /// <summary>The owner's tenant, learnt at the first change (a user never changes tenant).</summary>
    [Id(0)] public string? TenantId { get; set; }

    /// <summary>Contacts by the contact's user id.</summary>
    [Id(1)] public Dictionary<string, ContactRecord> Contacts { get; set; } = [];
}
