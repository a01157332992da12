using AppMsg.Directory;

namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class AuthTokenState
{
    [Id(0)] public TokenPrincipal? Principal { get; set; }
    [Id(1)] public bool Revoked { get; set; }
}
