using System.Text;
using AppMsg.Grains.Timelines;
using AppMsg.Silo.Migrations;
using AppMsg.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AppMsg.Grains.Tests;

[Collection(PostgresCollection.Name)]
public sealed class TimelineWriterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Concurrent_appends_share_round_trips_and_every_one_is_stored_once()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var writer = NewWriter(database);
        const int timelines = 50;
        const int perTimeline = 40;

        // Like owner grains: each timeline appends its own messages in seq order, all timelines at once.
        await Task.WhenAll(Enumerable.Range(0, timelines).Select(t => Task.Run(async () =>
        {
            for (var seq = 1; seq <= perTimeline; seq++)
            {
                await writer.AppendAsync(Message($"t{t}@qun", seq));
            }
        })));

        Assert.Equal(timelines * perTimeline, writer.Messages);
        Assert.True(writer.Batches < timelines * perTimeline / 5, $"{writer.Batches} round trips for {writer.Messages} messages");
        var reader = new TimelineReader(database);
        for (var t = 0; t < timelines; t++)
        {
            Assert.Equal(perTimeline, await reader.LastSeqAsync($"t{t}@qun"));
            var page = await reader.ReadAsync($"t{t}@qun", afterSeq: 10, limit: 5);
            Assert.Equal([11L, 12, 13, 14, 15], page.Select(m => m.Seq));
            Assert.Equal($"{{\"n\":{11}}}", Encoding.UTF8.GetString(page[0].Envelope));
        }
    }

    [Fact]
    public async Task A_duplicate_seq_fails_only_that_append()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var writer = NewWriter(database);
        await writer.AppendAsync(Message("dup@user", 1));

        var duplicate = writer.AppendAsync(Message("dup@user", 1));
        var innocent = writer.AppendAsync(Message("other@user", 1));

        var refused = await Assert.ThrowsAsync<AppMsgException>(() => duplicate);
        Assert.Equal(ErrorCodes.Conflict, refused.Code);
        await innocent;
        Assert.Equal(1, await new TimelineReader(database).LastSeqAsync("other@user"));
    }

    [Fact]
    public async Task After_a_failed_append_the_timelines_later_seqs_are_refused_until_its_owner_has_re_read_it()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var writer = NewWriter(database);
        await writer.AppendAsync(Message("gap@qun", 1));

        await Assert.ThrowsAsync<AppMsgException>(() => writer.AppendAsync(Message("gap@qun", 1)));
        var later = await Assert.ThrowsAsync<AppMsgException>(() => writer.AppendAsync(Message("gap@qun", 2)));
        Assert.Equal(ErrorCodes.Unavailable, later.Code);
        Assert.Equal(1, await new TimelineReader(database).LastSeqAsync("gap@qun"));

        writer.ClearFailure("gap@qun");
        await writer.AppendAsync(Message("gap@qun", 2));
        Assert.Equal(2, await new TimelineReader(database).LastSeqAsync("gap@qun"));
    }

    [Fact]
    public async Task Expired_messages_are_not_read()
    {
        await using var database = await MigratedDatabaseAsync();
        await using var writer = NewWriter(database);
        await writer.AppendAsync(Message("exp@user", 1) with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
        await writer.AppendAsync(Message("exp@user", 2) with { ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });

        var page = await new TimelineReader(database).ReadAsync("exp@user", 0, 10);

        Assert.Equal([2L], page.Select(m => m.Seq));
    }

    [Fact]
    public async Task An_unreachable_database_answers_unavailable_quickly_instead_of_hanging()
    {
        var closedPort = FreePort.Next();
        await using var database = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={closedPort};Username=postgres;Database=none;Timeout=2");
        await using var writer = NewWriter(database);
        var started = DateTime.UtcNow;

        var refused = await Assert.ThrowsAsync<AppMsgException>(() => writer.AppendAsync(Message("x@user", 1)));

        Assert.Equal(ErrorCodes.Unavailable, refused.Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    private static StoredMessage Message(string timeline, long seq) =>
        new(timeline, seq, Ids.New(), "sender@app", DateTimeOffset.UtcNow, null, Encoding.UTF8.GetBytes($"{{\"n\":{seq}}}"));

    private static TimelineWriter NewWriter(NpgsqlDataSource database) =>
        new(database, Options.Create(new TimelineWriterOptions { CommitTimeout = TimeSpan.FromSeconds(3) }), NullLogger<TimelineWriter>.Instance);

    private async Task<NpgsqlDataSource> MigratedDatabaseAsync()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        return NpgsqlDataSource.Create(connectionString);
    }
}
