using AppMsg.Directory;
using AppMsg.Grains.Security;
using Orleans.Concurrency;

namespace AppMsg.Grains.Directory;

/// <summary>Resolves the user name and checks the password; an unknown name is checked against a dummy hash.</summary>
[StatelessWorker]
public sealed class LoginGrain(UserIndex users, PasswordHashing passwords) : Grain, ILoginGrain
{
    public async Task<string?> VerifyAsync(string tenantId, string username, string password)
    {
        var userId = await users.FindAsync(tenantId ?? "", username ?? "");
        if (userId is null)
        {
            await passwords.VerifyDummyAsync(password ?? "");
            return null;
        }

        return await GrainFactory.GetGrain<IUserGrain>(userId).VerifyPasswordAsync(password ?? "") ? userId : null;
    }
}
