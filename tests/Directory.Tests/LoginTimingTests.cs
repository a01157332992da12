using System.Diagnostics;
using System.Net;

namespace AppMsg.Directory.Tests;

[Collection(TimingCollection.Name)]
public sealed class LoginTimingTests(LoginTimingSystem system) : IClassFixture<LoginTimingSystem>
{
    private const int Samples = 31;

    // Without the dummy hash an unknown name answers in a few milliseconds against the hash's tens: over 80 %
    // apart. Half is wide enough for a machine busy with other work (a CI run saw 27 % from load alone).
    private const double Tolerance = 0.5;

    [Fact]
    public async Task A_wrong_password_costs_the_same_for_an_unknown_user_name_as_for_a_known_one()
    {
        var tenantId = (await system.Api.PostAsync("/v1/tenants", new { name = "timing" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var known = new List<string>();
        for (var i = 0; i < Samples; i++)
        {
            var username = $"known{i}";
            (await system.Api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse" }, system.AdminKey)).Expect(HttpStatusCode.Created);
            known.Add(username);
        }

        // Warm up both paths (the dummy hash is made on first use, the user grains activate).
        foreach (var username in known)
        {
            await AttemptAsync(tenantId, username);
        }

        await AttemptAsync(tenantId, "warm-up-unknown");

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            knownTimes.Add(await AttemptAsync(tenantId, known[i]));
            unknownTimes.Add(await AttemptAsync(tenantId, $"unknown{i}"));
        }

        var knownMedian = Median(knownTimes);
        var unknownMedian = Median(unknownTimes);
        Assert.True(knownMedian > 5, $"a real hash costs something (known median {knownMedian:F1} ms), else this test shows nothing");
        var difference = Math.Abs(knownMedian - unknownMedian) / Math.Max(knownMedian, unknownMedian);
        Assert.True(difference <= Tolerance, $"known median {knownMedian:F1} ms, unknown median {unknownMedian:F1} ms: {difference:P0} apart");
    }

    private async Task<double> AttemptAsync(string tenantId, string username)
    {
        var watch = Stopwatch.StartNew();
        var answer = await system.Api.PostAsync("/v1/auth/login", new { tenantId, username, password = "wrong password", terminalType = 1 });
        var elapsed = watch.Elapsed.TotalMilliseconds;
        answer.Expect(HttpStatusCode.Unauthorized);
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
