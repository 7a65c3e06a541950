using Microsoft.Data.Sqlite;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

/// <summary>Data directories written by older Tally versions open, keep their objects and gain what is new.</summary>
public sealed class CatalogMigrationTests : IDisposable
{
    /// <summary>The catalog format 1 exactly as Tally wrote it before versioning (a guard: never edit).</summary>
    private const string Format1 = """
        CREATE TABLE buckets(name TEXT NOT NULL PRIMARY KEY, owner_account TEXT NOT NULL, owner_canonical TEXT NOT NULL, region TEXT NOT NULL, created_ms INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE objects(bucket TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, modified_ms INTEGER NOT NULL, headers TEXT NOT NULL, tags TEXT NOT NULL, checksums TEXT NOT NULL, storage_class TEXT NOT NULL, owner TEXT NOT NULL, part_sizes TEXT, data_file TEXT NOT NULL, PRIMARY KEY(bucket, key)) WITHOUT ROWID;
        CREATE INDEX objects_by_data_file ON objects(data_file);
        CREATE TABLE settings(bucket TEXT NOT NULL, kind TEXT NOT NULL, document TEXT NOT NULL, PRIMARY KEY(bucket, kind)) WITHOUT ROWID;
        CREATE INDEX settings_by_kind ON settings(kind, bucket);
        CREATE TABLE uploads(upload_id TEXT NOT NULL PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, initiated_ms INTEGER NOT NULL, write TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX uploads_by_key ON uploads(bucket, key, upload_id);
        CREATE TABLE parts(upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, etag TEXT NOT NULL, size INTEGER NOT NULL, modified_ms INTEGER NOT NULL, checksums TEXT NOT NULL, data_file TEXT NOT NULL, PRIMARY KEY(upload_id, part_number)) WITHOUT ROWID;
        CREATE TABLE pending_deletes(data_file TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        PRAGMA user_version = 1;
        INSERT INTO buckets VALUES('legacy', '111122223333', 'owner', 'us-east-1', 1700000000000);
        INSERT INTO objects VALUES('legacy', 'docs/a.txt', 6, '"etag-a"', 1700000001000, '{"UserMetadata":{"m":"1"}}', '{"t":"v"}', '{}', 'STANDARD', 'owner', NULL, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
        INSERT INTO objects VALUES('legacy', 'docs/b.txt', 6, '"etag-b"', 1700000002000, '{"UserMetadata":{}}', '{}', '{}', 'STANDARD_IA', 'owner', '[3,3]', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
        INSERT INTO settings VALUES('legacy', 'logging', '<BucketLoggingStatus/>');
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tally-storage-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_format_1_catalog_becomes_the_current_format_with_every_object_as_its_latest_null_version()
    {
        WriteFormat1Directory();

        using (var store = DiskObjectStore.Open(_directory, TimeProvider.System))
        {
            var bucket = await store.GetBucketAsync("legacy", CancellationToken.None);
            Assert.Equal(VersioningStatus.Unversioned, bucket!.Versioning);

            var listed = await store.ListObjectsAsync("legacy", new ListObjectsQuery("docs/", null, null, 1000), CancellationToken.None);
            Assert.Equal(["docs/a.txt", "docs/b.txt"], listed.Objects.Select(o => o.Key));
            Assert.All(listed.Objects, o => Assert.Equal("null", o.VersionId));
            Assert.Equal("v", listed.Objects[0].Tags["t"]);
            Assert.Equal([3L, 3L], listed.Objects[1].PartSizes);

            await using (var read = await store.GetObjectAsync("legacy", "docs/a.txt", "null", CancellationToken.None))
            {
                using var reader = new StreamReader(read.Content);
                Assert.Equal("a-data", await reader.ReadToEndAsync());
                Assert.Equal("1", read.Info.Headers.UserMetadata["m"]);
            }

            var versions = await store.ListObjectVersionsAsync("legacy", new ListObjectVersionsQuery(string.Empty, null, null, null, 1000), CancellationToken.None);
            Assert.All(versions.Versions, v => Assert.True(v.IsLatest && !v.IsDeleteMarker && v.NoncurrentSince is null));
            Assert.Equal("<BucketLoggingStatus/>", await ((IBucketSettingsStore)store).GetAsync("legacy", "logging", CancellationToken.None));

            // What is new works on the migrated catalog.
            await store.PutBucketVersioningAsync("legacy", VersioningStatus.Enabled, CancellationToken.None);
            var v1 = await store.PutObjectAsync("legacy", "docs/a.txt", new MemoryStream("new"u8.ToArray()), StoreFixture.Write(), CancellationToken.None);
            var after = await store.ListObjectVersionsAsync("legacy", new ListObjectVersionsQuery("docs/a", null, null, null, 1000), CancellationToken.None);
            Assert.Equal([v1.VersionId, "null"], after.Versions.Select(v => v.VersionId));
        }

        Assert.Equal((long)SqliteCatalog.SchemaVersion, Scalar("PRAGMA user_version"));

        // Opening again does not migrate twice.
        using var reopened = DiskObjectStore.Open(_directory, TimeProvider.System);
        Assert.Equal(3, (await reopened.ListObjectVersionsAsync("legacy", new ListObjectVersionsQuery(string.Empty, null, null, null, 1000), CancellationToken.None)).Versions.Count);
    }

    [Fact]
    public void A_catalog_from_a_newer_tally_is_refused_rather_than_damaged()
    {
        _ = Directory.CreateDirectory(Path.Combine(_directory, "meta"));
        Execute("PRAGMA user_version = 99;");

        var error = Assert.Throws<InvalidDataException>(() => DiskObjectStore.Open(_directory, TimeProvider.System));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "PRIMARY KEY")]
    [InlineData(true, "objects_current")]
    public async Task Listing_current_objects_scans_the_partial_index_once_a_bucket_was_versioned(bool everVersioned, string expected)
    {
        using (var store = DiskObjectStore.Open(_directory, TimeProvider.System))
        {
            await store.CreateBucketAsync(new BucketInfo("b", "1", "o", "us-east-1", DateTimeOffset.UnixEpoch), CancellationToken.None);
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + DiskObjectStore.CurrentObjectsSql(everVersioned, inclusive: false, bounded: true);
        _ = command.Parameters.AddWithValue("$p0", "b");
        _ = command.Parameters.AddWithValue("$p1", "a");
        _ = command.Parameters.AddWithValue("$p2", 10);
        _ = command.Parameters.AddWithValue("$p3", "b");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.True(plan.Exists(step => step.Contains(expected, StringComparison.Ordinal)), string.Join(" / ", plan));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private void WriteFormat1Directory()
    {
        _ = Directory.CreateDirectory(Path.Combine(_directory, "meta"));
        _ = Directory.CreateDirectory(Path.Combine(_directory, "objects", "aa"));
        _ = Directory.CreateDirectory(Path.Combine(_directory, "objects", "bb"));
        File.WriteAllText(Path.Combine(_directory, "objects", "aa", new string('a', 32)), "a-data");
        File.WriteAllText(Path.Combine(_directory, "objects", "bb", new string('b', 32)), "b-data");
        Execute(Format1);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "meta", "catalog.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        _ = command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
