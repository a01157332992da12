namespace AppMsg.Edge.Media;

/// <summary>Bounds the uploads an edge stores at once (<see cref="MediaSettings.MaxConcurrentUploads"/>): each holds two chunk buffers.</summary>
public sealed class MediaUploads(MediaSettings settings)
{
    private readonly SemaphoreSlim slots = new(settings.MaxConcurrentUploads, settings.MaxConcurrentUploads);

    /// <summary>A slot, released when disposed.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when every slot is taken.</exception>
    public IDisposable Enter() => slots.Wait(0)
        ? new Slot(slots)
        : throw new AppMsgException(ErrorCodes.Unavailable, $"this edge stores {settings.MaxConcurrentUploads} uploads at once; retry later");

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
