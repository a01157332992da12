namespace AppMsg.Directory;

/// <summary>A user muted or unmuted a sender.</summary>
/// <param name="UserId">The user who mutes.</param>
/// <param name="Sender">The muted sender, <c>id@user</c> or <c>id@app</c>.</param>
/// <param name="Muted">True when muted, false when unmuted.</param>
[GenerateSerializer, Immutable]
public sealed record MuteChange(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Sender,
    [property: Id(2)] bool Muted);
