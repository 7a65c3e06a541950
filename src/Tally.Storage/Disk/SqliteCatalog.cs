using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Tally.Storage.Disk;

/// <summary>
/// The metadata catalog: SQLite in WAL mode with synchronous=FULL, so a committed transaction is
/// in the fsynced WAL before the commit returns. Reads use a pool of connections that never wait
/// for the writer (WAL readers see the last committed snapshot). All writes go through one writer
/// thread that group-commits: every write queued while the previous transaction was committing
/// runs in the next transaction, each in its own savepoint so one failing write does not undo the
/// others, and all of them share one WAL fsync.
/// </summary>
internal sealed class SqliteCatalog : IDisposable
{
    internal const int MaxBatch = 512;

    /// <summary>The catalog format this code writes; older catalogs are migrated on open (<see cref="Migrate"/>).</summary>
    internal const int SchemaVersion = 3;

    /// <summary>
    /// objects holds every version of every key: the row with the highest seq of a key is its
    /// latest version (latest = 1, kept for the partial index that ListObjects scans), delete
    /// markers have marker = 1 and no data file, and version_id is 'null' for the null version.
    /// A small object's bytes live in inline_data under its data file id instead of in a file
    /// (format 3; a rowid table, as SQLite advises for rows this large, so objects rows stay
    /// small for scans): they become durable in the same WAL commit as their row. Format 2 → 3
    /// only adds that table; the number changes so that an older Tally refuses the catalog
    /// rather than failing to find the files of inline objects.
    /// seq orders the versions of one key only (newest = highest) and is stored descending so
    /// that a key-ordered scan returns each key's versions newest first without sorting.
    /// </summary>
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS buckets(
            name TEXT NOT NULL PRIMARY KEY,
            owner_account TEXT NOT NULL,
            owner_canonical TEXT NOT NULL,
            region TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            versioning TEXT) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS objects(
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            headers TEXT NOT NULL,
            tags TEXT NOT NULL,
            checksums TEXT NOT NULL,
            storage_class TEXT NOT NULL,
            owner TEXT NOT NULL,
            part_sizes TEXT,
            data_file TEXT,
            version_id TEXT NOT NULL,
            latest INTEGER NOT NULL,
            marker INTEGER NOT NULL,
            noncurrent_ms INTEGER,
            acl TEXT,
            PRIMARY KEY(bucket, key, seq DESC)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS objects_by_data_file ON objects(data_file);
        CREATE UNIQUE INDEX IF NOT EXISTS objects_by_version ON objects(bucket, key, version_id);
        CREATE INDEX IF NOT EXISTS objects_current ON objects(bucket, key) WHERE latest = 1 AND marker = 0;
        CREATE TABLE IF NOT EXISTS settings(
            bucket TEXT NOT NULL,
            kind TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY(bucket, kind)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS settings_by_kind ON settings(kind, bucket);
        CREATE TABLE IF NOT EXISTS uploads(
            upload_id TEXT NOT NULL PRIMARY KEY,
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            initiated_ms INTEGER NOT NULL,
            write TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads(bucket, key, upload_id);
        CREATE TABLE IF NOT EXISTS parts(
            upload_id TEXT NOT NULL,
            part_number INTEGER NOT NULL,
            etag TEXT NOT NULL,
            size INTEGER NOT NULL,
            modified_ms INTEGER NOT NULL,
            checksums TEXT NOT NULL,
            data_file TEXT NOT NULL,
            PRIMARY KEY(upload_id, part_number)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS pending_deletes(
            data_file TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS inline_data(
            data_file TEXT NOT NULL PRIMARY KEY,
            bytes BLOB NOT NULL);
        PRAGMA user_version = 3;
        """;

    /// <summary>
    /// Version 1 (before versioning): one row per key, PRIMARY KEY(bucket, key), and no
    /// versioning column on buckets. Every existing object becomes the latest null version of
    /// its key, exactly what S3 makes of objects written before versioning was enabled.
    /// </summary>
    internal const string MigrateFrom1 = """
        BEGIN IMMEDIATE;
        ALTER TABLE buckets ADD COLUMN versioning TEXT;
        CREATE TABLE objects_v2(
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            headers TEXT NOT NULL,
            tags TEXT NOT NULL,
            checksums TEXT NOT NULL,
            storage_class TEXT NOT NULL,
            owner TEXT NOT NULL,
            part_sizes TEXT,
            data_file TEXT,
            version_id TEXT NOT NULL,
            latest INTEGER NOT NULL,
            marker INTEGER NOT NULL,
            noncurrent_ms INTEGER,
            PRIMARY KEY(bucket, key, seq DESC)) WITHOUT ROWID;
        INSERT INTO objects_v2(bucket, key, seq, size, etag, modified_ms, headers, tags, checksums, storage_class, owner, part_sizes, data_file, version_id, latest, marker, noncurrent_ms)
            SELECT bucket, key, 1, size, etag, modified_ms, headers, tags, checksums, storage_class, owner, part_sizes, data_file, 'null', 1, 0, NULL FROM objects;
        DROP TABLE objects;
        ALTER TABLE objects_v2 RENAME TO objects;
        PRAGMA user_version = 2;
        COMMIT;
        """;

    private readonly string _connectionString;
    private readonly CatalogConnection _writer;
    private readonly ConcurrentBag<CatalogConnection> _readers = [];
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<string> _deletedDataFiles = new();
    private readonly Thread _writerThread;
    private int _disposed;

    public SqliteCatalog(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();

        _writer = new CatalogConnection(_connectionString);
        _ = _writer.Execute("PRAGMA journal_mode=WAL");

        // FULL: in WAL mode NORMAL would only fsync at checkpoints, losing acknowledged writes on
        // power failure; FULL fsyncs the WAL on every commit, which group commit amortises.
        _ = _writer.Execute("PRAGMA synchronous=FULL");
        _ = _writer.Execute("PRAGMA busy_timeout=30000");
        Migrate(_writer);
        _ = _writer.Execute(Schema);
        AddObjectAclColumn(_writer);

        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "tally-catalog-writer" };
    }

    /// <summary>Brings an older catalog to <see cref="SchemaVersion"/>, in one transaction per step; a new file is left to <see cref="Schema"/>.</summary>
    internal static void Migrate(CatalogConnection db)
    {
        var version = Convert.ToInt32(db.Scalar("PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidDataException($"The catalog has format {version}; this Tally reads up to {SchemaVersion}. Use a newer Tally.");
        }

        if (version == 1)
        {
            try
            {
                _ = db.Execute(MigrateFrom1);
            }
            catch (SqliteException)
            {
                try
                {
                    _ = db.Execute("ROLLBACK");
                }
                catch (SqliteException)
                {
                    // No transaction was open (BEGIN itself failed).
                }

                throw;
            }
        }
    }

    /// <summary>
    /// objects.acl holds an object version's ACL document (null: the default, private to the
    /// object's owner), written only by PutObjectAclAsync; a new version starts without one. It
    /// is an additive column, so a catalog without it gains it on open and the format number
    /// stays the same (older Tally ignores it).
    /// </summary>
    internal static void AddObjectAclColumn(CatalogConnection db)
    {
        if (db.Scalar("SELECT 1 FROM pragma_table_info('objects') WHERE name = 'acl'") is null)
        {
            _ = db.Execute("ALTER TABLE objects ADD COLUMN acl TEXT");
        }
    }

    /// <summary>Starts the writer thread; before this, the owner may use <see cref="RunExclusive"/> for recovery.</summary>
    public void Start() => _writerThread.Start();

    /// <summary>Runs <paramref name="work"/> on the writer connection before the writer thread starts (open-time recovery).</summary>
    public void RunExclusive(Action<CatalogConnection> work) => work(_writer);

    public void Read(Action<CatalogConnection> query) => _ = Read(db =>
    {
        query(db);
        return true;
    });

    public T Read<T>(Func<CatalogConnection, T> query)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_readers.TryTake(out var connection))
        {
            connection = new CatalogConnection(_connectionString);
            _ = connection.Execute("PRAGMA query_only=1");
        }

        try
        {
            return query(connection);
        }
        finally
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                connection.Dispose();
            }
            else
            {
                _readers.Add(connection);
            }
        }
    }

    /// <summary>
    /// Queues a write. The task completes after the transaction holding it has committed (or
    /// faults with what <paramref name="write"/> threw, in which case its changes were rolled back).
    /// Once queued a write always runs: callers must not treat cancellation as "not written".
    /// </summary>
    public Task<T> WriteAsync<T>(Func<WriteContext, T> write)
    {
        var pending = new PendingWrite<T>(write);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Task;
    }

    /// <summary>A data file listed in pending_deletes is gone from disk; its row is removed in the next transaction.</summary>
    public void DataFileDeleted(string fileId) => _deletedDataFiles.Enqueue(fileId);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ = _queue.Writer.TryComplete();
        if (_writerThread.IsAlive)
        {
            _writerThread.Join();
        }

        try
        {
            ForgetDeletedDataFiles(new List<string>());
            _ = _writer.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // Best effort on close: the rows are processed again on the next open.
        }

        _writer.Dispose();
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private void WriterLoop()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        var reader = _queue.Reader;
        while (true)
        {
            if (!reader.TryRead(out var first))
            {
                // Blocking is right here: this is a dedicated thread, not a pool thread.
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }

                continue;
            }

            batch.Add(first);
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            RunBatch(batch);
            batch.Clear();
        }
    }

    private void RunBatch(List<PendingWrite> batch)
    {
        var context = new WriteContext(_writer);
        var afterCommit = new List<Action>();
        var failures = new Exception?[batch.Count];
        var forgotten = new List<string>();
        try
        {
            _ = _writer.Execute("BEGIN IMMEDIATE");
            ForgetDeletedDataFiles(forgotten);
            for (var i = 0; i < batch.Count; i++)
            {
                _ = _writer.Execute("SAVEPOINT w");
                context.Reset();
                try
                {
                    batch[i].Run(context);
                    _ = _writer.Execute("RELEASE w");
                    afterCommit.AddRange(context.AfterCommit);
                }
#pragma warning disable CA1031 // The write's own exception is handed back to its caller.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures[i] = e;
                    _ = _writer.Execute("ROLLBACK TO w");
                    _ = _writer.Execute("RELEASE w");
                }
            }

            _ = _writer.Execute("COMMIT");
        }
#pragma warning disable CA1031 // Every queued write learns why its transaction failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            try
            {
                _ = _writer.Execute("ROLLBACK");
            }
            catch (SqliteException)
            {
                // Already rolled back by SQLite itself (for example after SQLITE_FULL).
            }

            foreach (var id in forgotten)
            {
                _deletedDataFiles.Enqueue(id);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Fail(failures[i] ?? e);
            }

            return;
        }

        // Clean-up first, so that a caller sees its delete or abort finished when its task completes.
        foreach (var action in afterCommit)
        {
            action();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Succeed();
            }
        }
    }

    private void ForgetDeletedDataFiles(List<string> forgotten)
    {
        while (_deletedDataFiles.TryDequeue(out var id))
        {
            forgotten.Add(id);
            _ = _writer.Execute("DELETE FROM pending_deletes WHERE data_file = $p0", id);
        }
    }

    private abstract class PendingWrite
    {
        public abstract void Run(WriteContext context);

        public abstract void Succeed();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<WriteContext, T> write) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Run(WriteContext context) => _result = write(context);

        public override void Succeed() => _completion.TrySetResult(_result!);

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }
}

/// <summary>What one queued write sees: the writer connection inside an open transaction.</summary>
internal sealed class WriteContext(CatalogConnection connection)
{
    private readonly List<Action> _afterCommit = [];

    public CatalogConnection Db { get; } = connection;

    internal IReadOnlyList<Action> AfterCommit => _afterCommit;

    /// <summary>Runs on the writer thread once the transaction is durable; dropped if this write rolls back. Must not throw.</summary>
    public void OnCommitted(Action action) => _afterCommit.Add(action);

    internal void Reset() => _afterCommit.Clear();
}
