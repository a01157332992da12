using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using Orleans.Storage;

namespace AppMsg.Grains;

/// <summary>
/// The rule for what a grain call may throw to its caller. <see cref="AppMsgException"/> and the exceptions Orleans
/// serializes and callers handle (its own cluster failures, <see cref="TimeoutException"/>, the System types) pass
/// unchanged. A storage failure anywhere in the chain becomes <c>unavailable</c> (retry later), or <c>conflict</c>
/// for a write the database refused as clashing with stored rows. Anything else Orleans cannot serialize (a type
/// outside the System, Microsoft and Orleans namespaces, at any depth) becomes <c>failed</c> with its message.
/// </summary>
public static class GrainFailures
{
    private const string IntegrityViolationClass = "23";

    /// <summary>The exception to throw instead of <paramref name="failure"/>, or null to let it pass.</summary>
    public static AppMsgException? Translate(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure is AppMsgException)
        {
            return null;
        }

        var chain = Chain(failure).ToList();
        if (chain.OfType<PostgresException>().FirstOrDefault() is { } postgres && postgres.SqlState.StartsWith(IntegrityViolationClass, StringComparison.Ordinal))
        {
            return new AppMsgException(ErrorCodes.Conflict, "the change clashes with stored data; read the current state and retry");
        }

        if (chain.Any(e => e is InconsistentStateException))
        {
            return new AppMsgException(ErrorCodes.Unavailable, "the state was changed concurrently; retry");
        }

        if (chain.Any(e => e is DbException))
        {
            return new AppMsgException(ErrorCodes.Unavailable, "the database does not answer; retry later");
        }

        if (chain.Any(e => e is SocketException))
        {
            return new AppMsgException(ErrorCodes.Unavailable, "a connection failed; retry later");
        }

        if (chain.All(IsSerializable))
        {
            return null;
        }

        return new AppMsgException(ErrorCodes.Failed, $"{failure.GetType().Name}: {failure.Message}");
    }

    /// <summary>
    /// Database exceptions (<see cref="DbException"/> and its Npgsql kinds), which Orleans is told to serialize by
    /// their message, stack and inner exception: a state read that fails while a grain activates is no call, so no
    /// filter translates it, and the caller must still get an exception it can read (an <c>OrleansException</c>).
    /// </summary>
    public static bool IsDatabaseExceptionType(Type type) => typeof(DbException).IsAssignableFrom(type);

    /// <summary>Orleans' exception codec handles these namespaces and the types with generated serializers (AppMsg's one exception).</summary>
    private static bool IsSerializable(Exception e) =>
        e is AppMsgException
        || e.GetType().Namespace is { } ns && (ns.StartsWith("System", StringComparison.Ordinal) || ns.StartsWith("Microsoft", StringComparison.Ordinal) || ns.StartsWith("Orleans", StringComparison.Ordinal));

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        var pending = new Stack<Exception>();
        pending.Push(failure);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
