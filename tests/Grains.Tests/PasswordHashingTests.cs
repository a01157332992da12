using AppMsg.Grains.Directory;
using AppMsg.Grains.Security;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Tests;

public sealed class PasswordHashingTests
{
    [Fact]
    public async Task A_hash_records_its_iterations_so_hashes_of_other_settings_keep_verifying()
    {
        using var old = new PasswordHashing(Options.Create(new DirectoryOptions { PasswordIterations = 1_000 }));
        using var current = new PasswordHashing(Options.Create(new DirectoryOptions { PasswordIterations = 2_000 }));
        var stored = await old.HashAsync("correct horse");
        Assert.StartsWith("pbkdf2-sha256$1000$", stored, StringComparison.Ordinal);
        Assert.StartsWith("pbkdf2-sha256$2000$", await current.HashAsync("correct horse"), StringComparison.Ordinal);
        Assert.True(await current.VerifyAsync("correct horse", stored));
        Assert.False(await current.VerifyAsync("wrong horse", stored));
    }

    [Fact]
    public async Task A_missing_or_malformed_hash_fails_without_throwing()
    {
        using var hashing = new PasswordHashing(Options.Create(new DirectoryOptions { PasswordIterations = 1_000 }));
        Assert.False(await hashing.VerifyAsync("correct horse", null));
        Assert.False(await hashing.VerifyAsync("correct horse", ""));
        Assert.False(await hashing.VerifyAsync("correct horse", "pbkdf2-sha256$-5$AAAA$AAAA"));
        Assert.False(await hashing.VerifyAsync("correct horse", "pbkdf2-sha256$1000$not base64!$AAAA"));
    }
}
