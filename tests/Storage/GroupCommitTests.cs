using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Hosting;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using Orleans.Storage;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// The group-commit writer shares transactions among concurrent writes, fails a failing statement alone, and the
/// grain storage written through it keeps Orleans' optimistic concurrency and reads what the ADO.NET storage held.
/// </summary>
public abstract class GroupCommitTests(DatabaseKind wiring) : IAsyncLifetime
{
    private TestStore _store = null!;
    private OrchestratorTestHost _host = null!;

    protected OrchestratorTestHost Host => _host;

    private GroupCommit Writes => _host.Services.GetRequiredService<GroupCommit>();

    [Fact]
    public async Task Concurrent_writes_share_commits_and_all_of_them_are_committed()
    {
        var database = _host.Services.GetRequiredService<OrchestratorDatabase>();
        var service = Guid.NewGuid().ToString("N");
        var before = Writes.Commits;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Writes.ExecuteAsync(
            "INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at) VALUES (@s, @g, 'x', 1, @p, 0)",
            ("@s", service), ("@g", $"g{i}"), ("@p", new byte[] { 1 }))));

        Assert.Equal(200, await database.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE service_id = @s", ("@s", service)));
        var commits = Writes.Commits - before;
        Assert.True(commits <= 100, $"200 concurrent writes took {commits} commits: they were not grouped");
    }

    [Fact]
    public async Task A_failing_statement_fails_alone_and_the_rest_of_its_batch_commits()
    {
        var database = _host.Services.GetRequiredService<OrchestratorDatabase>();
        var service = Guid.NewGuid().ToString("N");
        const string Insert = "INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at) VALUES (@s, @g, 'x', 1, @p, 0)";

        // The same key twice among many: one of the two breaks the primary key.
        var writes = Enumerable.Range(0, 50).Select(i => Writes.ExecuteAsync(Insert, ("@s", service), ("@g", $"g{i % 49}"), ("@p", new byte[] { 1 }))).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return true;
            }
            catch (DbException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(ok => !ok));
        Assert.Equal(49, await database.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE service_id = @s", ("@s", service)));
    }

    [Fact]
    public async Task Writes_of_one_statement_in_one_transaction_each_run_with_their_own_values_and_answer_their_own_row()
    {
        var database = _host.Services.GetRequiredService<OrchestratorDatabase>();
        var service = Guid.NewGuid().ToString("N");
        const string Insert =
            "INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at) VALUES (@s, @g, 'x', @v, COALESCE(@p, @none), 0) " +
            "RETURNING grain_id, version, payload";
        var before = Writes.Commits;

        // One statement's text many times over, its parameters' values and types changing from write to write (a null
        // among them): a transaction runs the text once prepared, bound again for each write.
        var rows = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Writes.WriteRowAsync(
            Insert,
            r => new Row(r.GetString(0), Convert.ToInt64(r.GetValue(1)), r.IsDBNull(2) ? null : (byte[])r.GetValue(2)),
            ("@s", service), ("@g", $"g{i}"), ("@v", i), ("@p", i % 3 == 0 ? null : new[] { (byte)i }), ("@none", Array.Empty<byte>()))));

        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(new Row($"g{i}", i, i % 3 == 0 ? [] : [(byte)i]), rows[i], RowComparer.Instance);
        }

        Assert.Equal(
            Enumerable.Range(0, 200).Sum(i => (long)i),
            await database.ScalarAsync("SELECT SUM(version) FROM grain_state WHERE service_id = @s", ("@s", service)));
        Assert.True(Writes.Commits - before <= 100, "the writes were not grouped, so no command was run twice");
    }

    [Fact]
    public async Task Writes_of_every_kind_in_one_transaction_answer_their_own_outcome()
    {
        var database = _host.Services.GetRequiredService<OrchestratorDatabase>();
        var service = Guid.NewGuid().ToString("N");
        const string Insert = "INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at) VALUES (@s, @g, 'x', @v, @p, 0)";
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Writes.ExecuteAsync(Insert, ("@s", service), ("@g", $"old{i}"), ("@v", 1), ("@p", new byte[] { 1 }))));
        var before = Writes.Commits;

        // Compare-and-sets (two of each: the first to run moves the row on, the second finds it moved and answers 0, as
        // two fires of one occurrence would), inserts answering a row, and inserts answering a value, interleaved in the
        // same transactions: each answers what its own statement did.
        var sets = Enumerable.Range(0, 200).Select(i => Writes.ExecuteAsync(
            "UPDATE grain_state SET version = 2 WHERE service_id = @s AND grain_id = @g AND version = 1", ("@s", service), ("@g", $"old{i / 2}"))).ToList();
        var rows = Enumerable.Range(0, 100).Select(i => Writes.WriteRowAsync(
            Insert + " RETURNING grain_id", r => r.GetString(0), ("@s", service), ("@g", $"row{i}"), ("@v", 100 + i), ("@p", new byte[] { 2 }))).ToList();
        var values = Enumerable.Range(0, 100).Select(i => Writes.InsertAsync(
            Insert + " RETURNING version", ("@s", service), ("@g", $"value{i}"), ("@v", 1000 + i), ("@p", new byte[] { 3 }))).ToList();
        var (setAnswers, rowAnswers, valueAnswers) = (await Task.WhenAll(sets), await Task.WhenAll(rows), await Task.WhenAll(values));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(1, setAnswers[2 * i] + setAnswers[2 * i + 1]);
            Assert.Equal($"row{i}", rowAnswers[i]);
            Assert.Equal(1000 + i, valueAnswers[i]);
        }

        Assert.Equal(100, await database.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE service_id = @s AND version = 2", ("@s", service)));
        Assert.True(Writes.Commits - before <= 200, "the writes were not grouped");
    }

    [Fact]
    public async Task Writes_one_after_another_take_one_commit_each()
    {
        var service = Guid.NewGuid().ToString("N");
        var before = Writes.Commits;

        // Every committer wakes for a write; only the one that takes it commits (the others have nothing to).
        for (var i = 0; i < 40; i++)
        {
            await Writes.ExecuteAsync(
                "INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at) VALUES (@s, @g, 'x', 1, @p, 0)",
                ("@s", service), ("@g", $"g{i}"), ("@p", new byte[] { 1 }));
        }

        var commits = Writes.Commits - before;
        Assert.True(commits < 50, $"40 writes one after another took {commits} commits");
    }

    [Fact]
    public async Task A_statement_joined_to_another_commits_with_it_and_sees_what_it_wrote()
    {
        var database = _host.Services.GetRequiredService<OrchestratorDatabase>();
        var service = Guid.NewGuid().ToString("N");
        const string Insert = "INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at) VALUES (@s, @g, 'x', 1, @p, 0)";
        const int Pairs = 40;
        await Task.WhenAll(Enumerable.Range(0, Pairs).Select(i => Writes.ExecuteAsync(Insert, ("@s", service), ("@g", $"set{i}"), ("@p", new byte[] { 1 }))));

        // Each pair: a compare-and-set, then an insert that happens only where the set was written (as a trigger's fire
        // and its job). The pairs go one after another: each takes one commit, where two writes awaited in turn take two.
        var before = Writes.Commits;
        var answers = new List<(int Rows, string? Row)>();
        for (var i = 0; i < Pairs; i++)
        {
            // Every fourth set finds its row moved on already (version 1 expected, 2 there): its insert must not happen.
            var expected = i % 4 == 3 ? 2 : 1;
            answers.Add(await Writes.ExecuteThenWriteRowAsync(
                ("UPDATE grain_state SET version = 2 WHERE service_id = @s AND grain_id = @g AND version = @expected",
                    [("@s", service), ("@g", $"set{i}"), ("@expected", expected)]),
                """
                INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at)
                SELECT @s, @g, 'x', 1, @p, 0 WHERE EXISTS (SELECT 1 FROM grain_state WHERE service_id = @s AND grain_id = @set AND version = 2)
                RETURNING grain_id
                """,
                r => r.GetString(0),
                ("@s", service), ("@g", $"row{i}"), ("@set", $"set{i}"), ("@p", new byte[] { 2 })));
        }

        var commits = Writes.Commits - before;
        for (var i = 0; i < Pairs; i++)
        {
            Assert.Equal(i % 4 == 3 ? (0, null) : (1, $"row{i}"), answers[i]);
        }

        Assert.Equal(Pairs * 3 / 4, await database.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE service_id = @s AND grain_id LIKE 'row%'", ("@s", service)));
        Assert.True(commits < Pairs * 3 / 2, $"{Pairs} pairs of joined writes, one after another, took {commits} commits");
    }

    [Fact]
    public async Task Grain_state_refuses_a_stale_write()
    {
        var storage = _host.Services.GetRequiredKeyedService<IGrainStorage>(OrchestratorStorageNames.GrainState);
        var grain = GrainId.Create("robot", Guid.NewGuid().ToString("N"));
        var first = new GrainState<RobotCommandQueue>();
        await storage.ReadStateAsync("robot", grain, first);
        first.State!.LastSeq = 1;
        await storage.WriteStateAsync("robot", grain, first);

        var second = new GrainState<RobotCommandQueue>();
        await storage.ReadStateAsync("robot", grain, second);
        Assert.Equal(1, second.State!.LastSeq);
        second.State!.LastSeq = 2;
        await storage.WriteStateAsync("robot", grain, second);

        first.State!.LastSeq = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("robot", grain, first));
        var read = new GrainState<RobotCommandQueue>();
        await storage.ReadStateAsync("robot", grain, read);
        Assert.Equal(2, read.State!.LastSeq);
    }

    [Fact]
    public async Task Grain_state_kept_by_the_earlier_storage_is_read_moved_and_cleared()
    {
        var storage = _host.Services.GetRequiredKeyedService<IGrainStorage>(OrchestratorStorageNames.GrainState);
        var earlier = _host.Services.GetRequiredKeyedService<IGrainStorage>(OrchestratorStorageNames.EarlierGrainState);
        var grain = GrainId.Create("robot", Guid.NewGuid().ToString("N"));
        var job = Guid.NewGuid();
        var old = new GrainState<RobotCommandQueue>(new RobotCommandQueue { LastSeq = 7, LeasedJob = job });
        await earlier.WriteStateAsync("robot", grain, old);

        var read = new GrainState<RobotCommandQueue>();
        await storage.ReadStateAsync("robot", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal((7L, job), (read.State!.LastSeq, read.State!.LeasedJob));

        read.State!.LastSeq = 8;
        await storage.WriteStateAsync("robot", grain, read);
        var again = new GrainState<RobotCommandQueue>();
        await storage.ReadStateAsync("robot", grain, again);
        Assert.Equal(8, again.State!.LastSeq);

        await storage.ClearStateAsync("robot", grain, again);
        var cleared = new GrainState<RobotCommandQueue>();
        await storage.ReadStateAsync("robot", grain, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.State!.LeasedJob);
    }

    [Fact]
    public async Task A_transaction_of_many_writes_costs_what_its_database_needs_and_no_more()
    {
        var service = Guid.NewGuid().ToString("N");
        var (commits, sends) = (Writes.Commits, Writes.Sends);

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Writes.ExecuteAsync(
            "INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at) VALUES (@s, @g, 'x', 1, @p, 0)",
            ("@s", service), ("@g", $"g{i}"), ("@p", new byte[] { 1 }))));

        (commits, sends) = (Writes.Commits - commits, Writes.Sends - sends);
        Assert.True(commits < 100, $"300 concurrent writes took {commits} commits: they were not grouped");
        AssertSends(300, commits, sends);
    }

    /// <summary>What <paramref name="commits"/> transactions of <paramref name="writes"/> writes may send to this wiring's database.</summary>
    protected abstract void AssertSends(int writes, long commits, long sends);

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(wiring, "group-commit");
        _host = await OrchestratorTestHost.StartAsync(_store.HostSettings());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _store.DisposeAsync();
    }

    private sealed record Row(string Grain, long Version, byte[]? Payload);

    private sealed class RowComparer : IEqualityComparer<Row?>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(Row? x, Row? y) =>
            x is not null && y is not null && x.Grain == y.Grain && x.Version == y.Version
            && (x.Payload is null ? y.Payload is null : y.Payload is not null && x.Payload.AsSpan().SequenceEqual(y.Payload));

        public int GetHashCode(Row? row) => row?.Grain.GetHashCode() ?? 0;
    }
}

public sealed class EmbeddedGroupCommitTests() : GroupCommitTests(DatabaseKind.Sqlite)
{
    // Each write's statement and each transaction's commit: SQLite keeps a transaction going past a failed statement,
    // so no write needs a savepoint (with one each, a transaction of n writes would take 3n + 1).
    protected override void AssertSends(int writes, long commits, long sends) => Assert.Equal(writes + commits, sends);
}

public sealed class PostgresGroupCommitTests() : GroupCommitTests(DatabaseKind.PostgreSql)
{
    // One send of the transaction's statements and one of its commit, whatever its size; one by one, each write in its
    // savepoint, a transaction of n writes would take 3n + 1.
    protected override void AssertSends(int writes, long commits, long sends) =>
        Assert.True(sends <= 2 * commits, $"{commits} transactions of {writes} writes took {sends} round trips");
}
