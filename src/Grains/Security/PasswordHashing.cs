using AppMsg.Grains.Directory;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Security;

/// <summary>
/// Runs PBKDF2 on the thread pool, never on the Orleans scheduler (a hash of 600,000 iterations takes a
/// fraction of a second; on the scheduler it would hold up other grains' turns), at most
/// <see cref="Environment.ProcessorCount"/> at a time so that a burst of logins cannot starve the silo.
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    private readonly SemaphoreSlim slots = new(Environment.ProcessorCount, Environment.ProcessorCount);
    private readonly IOptions<DirectoryOptions> options;
    private readonly Lazy<Task<string>> dummy;

    public PasswordHashing(IOptions<DirectoryOptions> options)
    {
        this.options = options;
        // A hash of a random password nobody knows, with the current iterations: what an unknown user name
        // (or a user without a usable hash) is checked against, so that it costs what a known one costs.
        dummy = new Lazy<Task<string>>(() => HashAsync(Secrets.New()));
    }

    /// <summary>A new hash of <paramref name="password"/> with the configured iterations.</summary>
    public Task<string> HashAsync(string password)
    {
        var iterations = options.Value.PasswordIterations;
        return RunAsync(() => PasswordHasher.Hash(password, iterations));
    }

    /// <summary>Whether <paramref name="stored"/> was made with fewer iterations than new hashes get (so it should be made again).</summary>
    public bool IsWeakerThanCurrent(string stored) => PasswordHasher.Iterations(stored) < options.Value.PasswordIterations;

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; a malformed stored hash costs a dummy check and fails.</summary>
    public async Task<bool> VerifyAsync(string password, string? stored)
    {
        if (stored is null || !PasswordHasher.IsWellFormed(stored))
        {
            await VerifyDummyAsync(password);
            return false;
        }

        return await RunAsync(() => PasswordHasher.Verify(password, stored));
    }

    /// <summary>Spends exactly what one verification with the current iterations spends, and fails.</summary>
    public async Task VerifyDummyAsync(string password)
    {
        var hash = await dummy.Value;
        await RunAsync(() => PasswordHasher.Verify(password, hash));
    }

    public void Dispose() => slots.Dispose();

    private async Task<T> RunAsync<T>(Func<T> work)
    {
        await slots.WaitAsync();
        try
        {
            return await Task.Run(work);
        }
        finally
        {
            slots.Release();
        }
    }
}
