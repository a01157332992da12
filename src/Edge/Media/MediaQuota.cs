using System.Buffers;
using System.IO.Pipelines;
using AppMsg.Quotas;

namespace AppMsg.Edge.Media;

/// <summary>
/// Charges stored media bytes to the tenant's <c>mediaBytes</c> quota (docs/quotas.md): reserves the declared length
/// before a byte is stored, or, for a body without one, reserves while it streams (at least <see cref="Block"/> at a
/// time); then settles: the upload's size is charged when it stored new bytes, nothing when the tenant had them
/// already (dedupe) or the upload failed. A reservation refused is <c>429 over_quota</c>.
/// </summary>
public sealed class MediaQuota(IQuotaGrain owner)
{
    /// <summary>What one reservation of a streaming body without a length asks for (fewer when less is left).</summary>
    public const long Block = 8 * 1024 * 1024;

    /// <summary>Names this upload's reservation in the quota grain (which keeps it across activations).</summary>
    private readonly string uploadId = Ids.New();

    private long reserved;

    private Task admitted = Task.CompletedTask;

    /// <summary>The quota of the tenant that stores the media.</summary>
    public static MediaQuota OfTenant(IClusterClient cluster, string tenantId) => new(cluster.GetGrain<IQuotaGrain>(QuotaOwners.Tenant(tenantId)));

    /// <summary>Reserves <paramref name="needed"/> bytes, or up to <paramref name="wanted"/> while they are left.</summary>
    /// <exception cref="AppMsgException"><c>over_quota</c> when fewer than <paramref name="needed"/> are left.</exception>
    public async Task ReserveAsync(long needed, long wanted)
    {
        var lease = await owner.ReserveMediaAsync(uploadId, needed, wanted);
        if (lease.Granted < needed)
        {
            throw AppMsgException.OverQuota($"the tenant's stored media would pass its quota of {lease.Limits.MediaBytes} bytes");
        }

        reserved += lease.Granted;
    }

    /// <summary>
    /// Lets <paramref name="admission"/> (the checks of an upload and the reservation of its declared length) run while
    /// the body starts to arrive: the meter throws its refusal at the next read once it is known, and waits for it
    /// before the end of the body or before passing what is reserved, so a store records nothing that was not admitted.
    /// </summary>
    public void AdmitWhileStreaming(Task admission) => admitted = admission;

    /// <summary>
    /// The request body as a stream, counted as it is read: past what is reserved, it reserves more (or refuses). A read
    /// waits until <see cref="Gulp"/> bytes (or the rest of the body) have arrived, so a reader is woken once per
    /// quarter megabyte rather than once per socket receive (a few kilobytes).
    /// </summary>
    public Stream Meter(PipeReader body) => new MeteredStream(body, this);

    /// <summary>Bytes a read of the metered body waits for, unless the buffer is smaller or the body ends.</summary>
    public const int Gulp = 256 * 1024;

    /// <summary>Gives the reservation back and charges <paramref name="stored"/> bytes (0 when nothing new was stored).</summary>
    public async Task SettleAsync(long stored)
    {
        var held = reserved;
        reserved = 0;
        if (held > 0 || stored > 0)
        {
            await owner.SettleMediaAsync(uploadId, stored);
        }
    }

    /// <summary>After a failed upload: gives the reservation back; a cluster that does not answer leaves it reserved until it expires (an hour).</summary>
    public async Task GiveBackAsync()
    {
        try
        {
            // A reservation granted after the upload failed is given back too.
            await admitted;
        }
        catch
        {
        }

        try
        {
            await SettleAsync(0);
        }
        catch (Exception e) when (e is Orleans.Runtime.OrleansException or TimeoutException or AppMsgException)
        {
        }
    }

    private sealed class MeteredStream(PipeReader inner, MediaQuota quota) : Stream
    {
        private long count;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => count; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (quota.admitted.IsCompleted)
            {
                await quota.admitted;
            }

            var read = await ReadBodyAsync(buffer, cancellationToken);
            count += read;
            if (read == 0 || count > quota.reserved)
            {
                await quota.admitted;
            }

            if (count > quota.reserved)
            {
                var needed = count - quota.reserved;
                await quota.ReserveAsync(needed, Math.Max(needed, Block));
            }

            return read;
        }

        private async ValueTask<int> ReadBodyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            var result = await inner.ReadAtLeastAsync(Math.Min(buffer.Length, Gulp), cancellationToken);
            var received = result.Buffer;
            if (result.IsCanceled && received.IsEmpty)
            {
                // Not the end of the body: an upload must never be recorded short.
                throw new OperationCanceledException("the read of the media body was canceled");
            }

            var read = (int)Math.Min(received.Length, buffer.Length);
            received.Slice(0, read).CopyTo(buffer.Span);
            inner.AdvanceTo(received.GetPosition(read));
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("media bodies are read asynchronously");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
