using Microsoft.Data.Sqlite;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

/// <summary>What the store finds on open after a crash at each step of a write, built by hand on a closed store.</summary>
public sealed class DiskObjectStoreRecoveryTests : IAsyncLifetime, IDisposable
{
    private readonly StoreFixture _f = new();

    public Task InitializeAsync() => _f.CreateBucketAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Leftover_tmp_files_and_uncommitted_data_files_are_removed_on_open()
    {
        _ = await _f.PutAsync("kept", "committed");
        var committed = Path.GetFileName(Assert.Single(_f.DataFiles()));
        var uncommitted = "0123456789abcdef0123456789abcdef";

        await _f.ReopenAsync(() =>
        {
            // Crash while receiving a body: only a tmp file.
            File.WriteAllText(Path.Combine(_f.DataDirectory, "tmp", "fedcba9876543210fedcba9876543210"), "partial");

            // Crash after link into objects/, before the commit: both names, no catalog row.
            File.WriteAllText(Path.Combine(_f.DataDirectory, "tmp", uncommitted), "orphan");
            File.WriteAllText(Path.Combine(_f.DataDirectory, "objects", uncommitted[..2], uncommitted), "orphan");

            // Crash after the commit, before the tmp name was dropped.
            File.WriteAllText(Path.Combine(_f.DataDirectory, "tmp", committed), "committed");

            // Something that is not ours at all.
            File.WriteAllText(Path.Combine(_f.DataDirectory, "tmp", "stray.txt"), "?");
        });

        Assert.Empty(_f.TmpFiles());
        Assert.Equal(committed, Path.GetFileName(Assert.Single(_f.DataFiles())));
        Assert.Equal("committed", await _f.ReadTextAsync("kept"));
    }

    [Fact]
    public async Task Data_files_left_in_pending_deletes_are_deleted_on_open()
    {
        _ = await _f.PutAsync("kept", "v");
        var replaced = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

        await _f.ReopenAsync(() =>
        {
            // Crash after committing a replace, before the old data file was unlinked.
            File.WriteAllText(Path.Combine(_f.DataDirectory, "objects", "aa", replaced), "old version");
            Execute($"INSERT INTO pending_deletes(data_file) VALUES('{replaced}')");
        });

        Assert.False(File.Exists(Path.Combine(_f.DataDirectory, "objects", "aa", replaced)));
        Assert.Single(_f.DataFiles());
        Assert.Equal("v", await _f.ReadTextAsync("kept"));
        await _f.ReopenAsync(() => Assert.Equal(0L, Query("SELECT count(*) FROM pending_deletes")));
    }

    [Fact]
    public async Task Upload_directories_without_an_upload_and_unreferenced_parts_are_swept_on_open()
    {
        var upload = await _f.Objects.CreateMultipartUploadAsync("bucket", "k", StoreFixture.Write(), CancellationToken.None);
        var part = await _f.Objects.UploadPartAsync("bucket", "k", upload.UploadId, 1, StoreFixture.Body("part"), new PartWrite(), CancellationToken.None);
        var uploadDirectory = Path.Combine(_f.DataDirectory, "uploads", upload.UploadId);
        var gone = Path.Combine(_f.DataDirectory, "uploads", "000000000000aaaaaaaaaaaaaaaaaaaaaaaa");

        await _f.ReopenAsync(() =>
        {
            _ = Directory.CreateDirectory(gone);
            File.WriteAllText(Path.Combine(gone, "1.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), "aborted");
            File.WriteAllText(Path.Combine(uploadDirectory, "2.cccccccccccccccccccccccccccccccc"), "never committed");
        });

        Assert.False(Directory.Exists(gone));
        Assert.Single(Directory.GetFiles(uploadDirectory));
        var done = await _f.Objects.CompleteMultipartUploadAsync("bucket", "k", upload.UploadId, [new CompletedPart(1, part.ETag)], CancellationToken.None);
        Assert.Equal(4, done.Size);
        Assert.Equal("part", await _f.ReadTextAsync("k"));
    }

    [Fact]
    public async Task Catalog_runs_in_wal_mode_with_full_sync()
    {
        _ = await _f.PutAsync("k", "v");

        Assert.True(File.Exists(Path.Combine(_f.DataDirectory, "meta", "catalog.db")));
        await _f.ReopenAsync(() => Assert.Equal("wal", QueryText("PRAGMA journal_mode")));
    }

    private string CatalogPath => Path.Combine(_f.DataDirectory, "meta", "catalog.db");

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={CatalogPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        _ = command.ExecuteNonQuery();
    }

    private long Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={CatalogPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private string QueryText(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={CatalogPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }
}
