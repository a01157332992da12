using System.Net;
using AppMsg.Quotas;
using Orleans.Core.Internal;

namespace AppMsg.Edge.Tests.Media;

/// <summary>
/// The <c>mediaBytes</c> reservation of an upload under way survives the quota grain's deactivation: it keeps counting
/// while the upload streams, and the upload, once finished, is charged once (docs/quotas.md, "Media reservations").
/// </summary>
public sealed class MediaQuotaReservationTests(MediaTestSystem system) : IClassFixture<MediaTestSystem>
{
    private const long Quota = 3_000_000;

    /// <summary>An odd size, to find its reservation in the quota's stored state.</summary>
    private const long Held = 2_345_678;

    [Fact]
    public async Task A_reservation_of_an_upload_under_way_outlives_the_quota_grains_deactivation_and_the_upload_is_charged_once()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/quotas", new { mediaBytes = Quota }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var body = new HeldBody(Held, pauseAt: 1_000_000);
        var upload = system.UploadAsync(body, "application/octet-stream", token);
        await body.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        var owner = QuotaOwners.Tenant(tenantId);
        await AppMsg.Testing.Eventually.ReturnsAsync(
            () => system.CountAsync("SELECT count(*) FROM orleansstorage WHERE grainidextensionstring = $1 AND convert_from(payloadbinary, 'UTF8') LIKE $2", owner, $"%{Held}%"),
            n => n == 1, TimeSpan.FromSeconds(15), "the upload's reservation stored with the quota");

        // The grain goes away with the reservation in flight; the next call activates it again from its stored state.
        await system.Cluster.GetGrain<IQuotaGrain>(owner).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);

        // 2,345,678 reserved of 3,000,000: another megabyte does not fit while the first upload streams.
        using (var refused = await system.UploadAsync(new ByteArrayContent(new GeneratedBytes(1_000_000, seed: 31).Range(0, 1_000_000)), "application/octet-stream", token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("over_quota", await MediaTestSystem.CodeOfAsync(refused));
        }

        body.Resume();
        using (var finished = await upload)
        {
            Assert.Equal(HttpStatusCode.Created, finished.StatusCode);
        }

        // Charged once: the reservation became the stored size, and what is left (654,322) takes an upload that fits.
        Assert.Equal(Held, await UsedAsync());
        await system.UploadedAsync(new GeneratedBytes(600_000, seed: 32).Range(0, 600_000), "application/octet-stream", token);
        Assert.Equal(Held + 600_000, await UsedAsync());
        Assert.Equal(0, await system.CountAsync(
            "SELECT count(*) FROM orleansstorage WHERE grainidextensionstring = $1 AND convert_from(payloadbinary, 'UTF8') LIKE '%Expires%'", owner));

        async Task<long> UsedAsync() =>
            (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", system.AdminKey)).Expect(HttpStatusCode.OK)
                .Body.GetProperty("usage").GetProperty("mediaBytes").GetInt64();
    }

    /// <summary>A body with a Content-Length that stops after <c>pauseAt</c> bytes until the test resumes it.</summary>
    private sealed class HeldBody(long length, long pauseAt) : HttpContent
    {
        private readonly TaskCompletionSource paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Paused => paused.Task;

        public void Resume() => resumed.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = new GeneratedBytes(length, seed: 30);
            var buffer = new byte[64 * 1024];
            for (long offset = 0; offset < length; offset += buffer.Length)
            {
                if (offset >= pauseAt && !resumed.Task.IsCompleted)
                {
                    await stream.FlushAsync();
                    paused.TrySetResult();
                    await resumed.Task;
                }

                var n = (int)Math.Min(buffer.Length, length - offset);
                bytes.Fill(offset, buffer.AsSpan(0, n));
                await stream.WriteAsync(buffer.AsMemory(0, n));
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return true;
        }
    }
}
