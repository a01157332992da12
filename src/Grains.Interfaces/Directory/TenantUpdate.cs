namespace AppMsg.Directory;

/// <summary>A change to a tenant by the operator; a null field is left as it is.</summary>
/// <param name="Name">The new name.</param>
/// <param name="Disabled">True disables the tenant (nothing of it is deleted), false enables it again.</param>
[GenerateSerializer, Immutable]
public sealed record TenantUpdate(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] bool? Disabled = null);
