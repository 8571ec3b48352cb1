using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.Files;

/// <summary>
/// The bytes of stored files (process files, storage files) in the <c>file_blobs</c> table, on both wirings, so
/// that every silo serves every download. Bytes flow as streams in both directions: SQLite writes into a
/// <c>zeroblob</c> of the announced size and reads through incremental blob I/O; PostgreSQL takes a stream
/// parameter and is read with sequential access. The SHA-256 is computed while the bytes are written.
/// </summary>
public sealed class FileBlobs(OrchestratorDatabase database, OrchestratorClock clock)
{
    private const int CopyBuffer = 81920;

    // The hash is known only once the bytes are written. Inserted as a placeholder of its final length, so that
    // setting it leaves the record's size unchanged and SQLite overwrites the row in place instead of writing
    // every page of the blob a second time.
    private static readonly string HashPlaceholder = new('0', 64);

    /// <summary>
    /// Stores exactly <paramref name="length"/> bytes read from <paramref name="content"/> in one transaction:
    /// the row is committed with its size and hash, or not at all.
    /// </summary>
    public Task<StoredFile> SaveAsync(long accountId, Stream content, long length, CancellationToken cancellationToken = default) =>
        SaveAsync(accountId, content, length, (_, file) => Task.FromResult((true, file)), cancellationToken);

    /// <summary>
    /// Stores the bytes as <see cref="SaveAsync(long, Stream, long, CancellationToken)"/> does, then runs
    /// <paramref name="record"/> in the same transaction, so that the record that refers to the bytes and the bytes
    /// commit together: when it answers false, or throws, neither is stored.
    /// </summary>
    public async Task<T> SaveAsync<T>(
        long accountId, Stream content, long length, Func<DbTransaction, StoredFile, Task<(bool Commit, T Result)>> record, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var hashing = new HashingStream(content);
        long id;
        if (connection is SqliteConnection sqlite)
        {
            await using (var insert = Command(
                "INSERT INTO file_blobs (account_id, size, sha256, created, content) VALUES (@account, @size, @sha, @now, zeroblob(@size)) RETURNING id",
                ("@account", accountId), ("@size", length), ("@sha", HashPlaceholder), ("@now", clock.Now)))
            {
                id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken));
            }

            await using var blob = new SqliteBlob(sqlite, "file_blobs", "content", id);
            await CopyExactlyAsync(hashing, blob, length, cancellationToken);
        }
        else
        {
            await using var insert = Command(
                "INSERT INTO file_blobs (account_id, size, sha256, created, content) VALUES (@account, @size, @sha, @now, @content) RETURNING id",
                ("@account", accountId), ("@size", length), ("@sha", HashPlaceholder), ("@now", clock.Now));
            var bytes = new NpgsqlParameter("@content", NpgsqlDbType.Bytea) { Value = new LengthLimitedStream(hashing, length), Size = checked((int)length) };
            insert.Parameters.Add(bytes);
            id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken));
        }

        if (hashing.BytesRead != length)
        {
            throw new InvalidDataException($"The file ended after {hashing.BytesRead} of {length} bytes.");
        }

        var sha256 = hashing.Sha256();
        await using (var update = Command("UPDATE file_blobs SET sha256 = @sha WHERE id = @id", ("@sha", sha256), ("@id", id)))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var (commit, result) = await record(transaction, new StoredFile(id, length, sha256));
        if (commit)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;

        DbCommand Command(string sql, params (string, object?)[] parameters)
        {
            var command = OrchestratorDatabase.CreateCommand(connection, sql, parameters);
            command.Transaction = transaction;
            return command;
        }
    }

    /// <summary>Copies the stored bytes to <paramref name="destination"/>; false when no such row exists.</summary>
    public async Task<bool> CopyToAsync(long blobId, Stream destination, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (connection is SqliteConnection sqlite)
        {
            // One read transaction: the row looked up is the row read, even if a delete commits in between.
            await using var snapshot = sqlite.BeginTransaction(deferred: true);
            await using var exists = OrchestratorDatabase.CreateCommand(connection, "SELECT size FROM file_blobs WHERE id = @id", ("@id", blobId));
            exists.Transaction = snapshot;
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }

            await using var blob = new SqliteBlob(sqlite, "file_blobs", "content", blobId, readOnly: true);
            await blob.CopyToAsync(destination, CopyBuffer, cancellationToken);
            return true;
        }

        await using var command = OrchestratorDatabase.CreateCommand(connection, "SELECT content FROM file_blobs WHERE id = @id", ("@id", blobId));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        await using var stream = reader.GetStream(0);
        await stream.CopyToAsync(destination, CopyBuffer, cancellationToken);
        return true;
    }

    /// <summary>Removes stored bytes no record refers to any more (a replaced file, or one whose record was never written).</summary>
    public Task<int> DeleteAsync(long blobId) =>
        database.ExecuteAsync("DELETE FROM file_blobs WHERE id = @id", ("@id", blobId));

    private static async Task CopyExactlyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(CopyBuffer, Math.Max(length, 1))];
        var left = length;
        while (left > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            left -= read;
        }
    }

    /// <summary>Reads at most a given number of bytes from a stream, so a parameter never takes more than was announced.</summary>
    private sealed class LengthLimitedStream(Stream inner, long limit) : Stream
    {
        private readonly long _limit = limit;
        private long _left = limit;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _limit;

        public override long Position
        {
            get => _limit - _left;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken);
            _left -= read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
