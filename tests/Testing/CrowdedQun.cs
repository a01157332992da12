using System.Net;

namespace AppMsg.Testing;

/// <summary>A new tenant with <c>count</c> users, all in one qun (the first its owner), made through the API as an operator would.</summary>
public sealed record CrowdedQun(string TenantId, string QunId, (string Id, string Username)[] Members)
{
    public const string Password = "correct horse";

    public string Timeline => $"{QunId}@qun";

    public static async Task<CrowdedQun> CreateAsync(RunningSystem system, string name, int count)
    {
        var tenantId = (await system.Api.PostAsync("/v1/tenants", new { name }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var members = new (string Id, string Username)[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var username = $"{name}{i:D4}";
            members[i] = ((await system.Api.PostAsync("/v1/users", new { tenantId, username, password = Password }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"], username);
        });
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name, ownerId = members[0].Id, members = members.Skip(1).Select(u => u.Id).ToArray(), maxMembers = Math.Max(count, 100) }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        return new CrowdedQun(tenantId, qunId, members);
    }

    /// <summary>A login token of member <paramref name="index"/> for an Android terminal.</summary>
    public async Task<string> LoginAsync(RunningSystem system, int index) =>
        (await system.Api.PostAsync("/v1/auth/login", new { tenantId = TenantId, username = Members[index].Username, password = Password, terminalType = 1 })).Expect(HttpStatusCode.OK)["token"];

    /// <summary>Connects member <paramref name="index"/>'s device over binary TCP (to the edge on <paramref name="port"/>, else the first) and registers it.</summary>
    public async Task<RawDevice> ConnectAsync(RunningSystem system, int index, int receiveBufferBytes = 0, int? port = null)
    {
        var device = await RawDevice.ConnectAsync(port ?? system.TcpPort, receiveBufferBytes);
        var answer = await device.RegisterAsync(Members[index].Id, await LoginAsync(system, index));
        if (answer.Code != 0)
        {
            await device.DisposeAsync();
            throw new InvalidOperationException($"REGISTER of {Members[index].Username} answered {answer.Code}");
        }

        return device;
    }
}
