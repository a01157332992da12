namespace AppMsg.Directory;

/// <summary>The outcome of <see cref="IContactsGrain.SaveAsync"/>.</summary>
/// <param name="Contact">The contact as it is now.</param>
/// <param name="Created">True when the contact was added, false when an existing one was updated.</param>
[GenerateSerializer, Immutable]
public sealed record ContactSaved(
    [property: Id(0)] ContactInfo Contact,
    [property: Id(1)] bool Created);
