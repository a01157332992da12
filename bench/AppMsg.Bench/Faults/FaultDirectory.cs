using System.Text.Json;
using AppMsg.Bench.Infrastructure;

namespace AppMsg.Bench.Faults;

/// <summary>
/// The suite's tenant, users (logged in, one token each) and quns. A qun is created with its owner and a few members, and
/// the rest are added one by one (<c>PUT /v1/quns/{id}/members/{userId}</c>, a bounded number at a time): creating a qun
/// with hundreds of members in one request is not what is measured here, and a large creation may fail.
/// </summary>
public sealed record FaultDirectory(string TenantId, IReadOnlyList<(string UserId, string Token)> Users, IReadOnlyList<string> QunIds)
{
    private const string Password = "faults-password";
    private const int MembersAtCreation = 50;
    private const int MemberAddsAtOnce = 16;

    /// <summary>The qun user <paramref name="user"/> belongs to: users are dealt round the quns.</summary>
    public int QunOf(int user) => user % QunIds.Count;

    public static async Task<FaultDirectory> CreateAsync(OperatorApi api, FaultSuiteOptions options, CancellationToken cancellationToken)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string tenantId;
        using (var tenant = await api.PostAsync(0, "/v1/tenants", JsonSerializer.Serialize(new { name = $"faults-{tag}" }), cancellationToken))
        {
            tenantId = tenant.RootElement.GetProperty("id").GetString()!;
        }

        var users = new (string UserId, string Token)[options.Devices];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), new ParallelOptions { MaxDegreeOfParallelism = options.SetupConcurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var username = $"f{i}-{tag}";
                var edge = i % api.EdgeCount;
                (await api.PostAsync(edge, "/v1/users", JsonSerializer.Serialize(new { tenantId, username, password = Password }), token)).Dispose();
                using var login = await api.PostAsync(edge, "/v1/auth/login", JsonSerializer.Serialize(new { tenantId, username, password = Password, terminalType = 1 }), token);
                users[i] = (login.RootElement.GetProperty("userId").GetString()!, login.RootElement.GetProperty("token").GetString()!);
            });

        var quns = new string[Math.Min(options.Quns, users.Length)];
        for (var q = 0; q < quns.Length; q++)
        {
            var members = Enumerable.Range(0, users.Length).Where(i => i % quns.Length == q).Select(i => users[i].UserId).ToArray();
            var body = JsonSerializer.Serialize(new
            {
                tenantId,
                name = $"faults-{q}",
                ownerId = members[0],
                members = members.Skip(1).Take(MembersAtCreation).ToArray(),
                maxMembers = Math.Max(members.Length + 10, 100),
            });
            using (var qun = await api.PostAsync(0, "/v1/quns", body, cancellationToken))
            {
                quns[q] = qun.RootElement.GetProperty("id").GetString()!;
            }

            var qunId = quns[q];
            await Parallel.ForEachAsync(members.Skip(1 + MembersAtCreation), new ParallelOptions { MaxDegreeOfParallelism = MemberAddsAtOnce, CancellationToken = cancellationToken },
                async (member, token) => await api.PutAsync(0, $"/v1/quns/{qunId}/members/{member}", token));
            ProgressTicker.Say($"faults: qun {q + 1}/{quns.Length} has {members.Length} members");
        }

        return new FaultDirectory(tenantId, users, quns);
    }
}
