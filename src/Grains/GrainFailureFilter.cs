using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace AppMsg.Grains;

/// <summary>
/// Applies <see cref="GrainFailures"/> to every call a grain of this silo answers, so that no exception Orleans
/// cannot serialize (a <c>PostgresException</c>, say) leaves a grain, and a storage failure reaches the HTTP API,
/// the device protocol and backends as <c>unavailable</c>. The original is logged here, once: a grain that calls
/// another receives the translated exception, which passes on unchanged.
/// </summary>
public sealed partial class GrainFailureFilter(ILogger<GrainFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (GrainFailures.Translate(e) is { } translated)
        {
            if (translated.Code == ErrorCodes.Failed)
            {
                LogFailed(logger, e, context.InterfaceName, context.MethodName, context.TargetId);
            }
            else
            {
                LogTranslated(logger, context.InterfaceName, context.MethodName, context.TargetId, translated.Code, e.GetType().Name, e.Message);
            }

            if (e is InconsistentStateException || e.InnerException is InconsistentStateException)
            {
                // Orleans deactivates an activation whose state is stale when this exception leaves it; it no longer does.
                context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "grain state changed concurrently"));
            }

            throw translated;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} on {Grain}: {Code} ({Type}: {Reason})")]
    private static partial void LogTranslated(ILogger logger, string @interface, string method, GrainId grain, string code, string type, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Interface}.{Method} on {Grain} failed unexpectedly")]
    private static partial void LogFailed(ILogger logger, Exception e, string @interface, string method, GrainId grain);
}
