namespace AppMsg.Protocol;

/// <summary>The outcome of trying to read one binary frame from buffered input.</summary>
public enum FrameReadStatus
{
    /// <summary>The input does not yet hold a whole frame; nothing was consumed. Read more and try again.</summary>
    NeedMoreData = 0,
    /// <summary>A whole frame was read and consumed.</summary>
    Frame = 1,
    /// <summary>The input violates the protocol; the connection should be closed. Nothing was consumed.</summary>
    Error = 2,
}
