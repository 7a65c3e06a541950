using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

/// <summary>A fresh data directory under the system temp directory, deleted afterwards.</summary>
public sealed class StoreFixture : IDisposable
{
    public const string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

    public StoreFixture()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "tally-storage-tests", Guid.NewGuid().ToString("N"));
        Store = DiskObjectStore.Open(DataDirectory, Time);
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero));

    public DiskObjectStore Store { get; private set; }

    public IObjectStore Objects => Store;

    public IBucketSettingsStore Settings => Store;

    public static ObjectWrite Write(string? contentType = null, IReadOnlyDictionary<string, string>? tags = null, Func<IReadOnlyDictionary<string, string>>? checksums = null) =>
        new(
            ObjectHeaders.Empty with { ContentType = contentType },
            Owner,
            tags ?? new Dictionary<string, string>(),
            Checksums: checksums);

    public static Stream Body(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    public static Stream Body(byte[] bytes) => new MemoryStream(bytes);

    public async Task CreateBucketAsync(string name = "bucket") =>
        await Store.CreateBucketAsync(new BucketInfo(name, "111122223333", Owner, "us-east-1", Time.GetUtcNow()), CancellationToken.None);

    public Task<ObjectInfo> PutAsync(string key, string text, string bucket = "bucket") =>
        Store.PutObjectAsync(bucket, key, Body(text), Write(), CancellationToken.None);

    public async Task<string> ReadTextAsync(string key, string bucket = "bucket")
    {
        await using var read = await Store.GetObjectAsync(bucket, key, CancellationToken.None);
        using var reader = new StreamReader(read.Content, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Closes and opens the store on the same directory (what a restart does).</summary>
    public async Task ReopenAsync(Action? whileClosed = null)
    {
        await Store.DisposeAsync();
        whileClosed?.Invoke();
        Store = DiskObjectStore.Open(DataDirectory, Time);
    }

    /// <summary>
    /// Every stored object data: the files under objects/ and, for small objects kept inside the
    /// catalog (DiskObjectStore.InlineThreshold), their data file ids in inline_data.
    /// </summary>
    public string[] DataFiles() => [.. Directory.GetFiles(Path.Combine(DataDirectory, "objects"), "*", SearchOption.AllDirectories), .. InlineDataIds()];

    /// <summary>Data file ids of the objects stored inline, read from the committed catalog.</summary>
    public string[] InlineDataIds()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "meta", "catalog.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data_file FROM inline_data ORDER BY data_file";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return [.. ids];
    }

    public string[] TmpFiles() => Directory.GetFiles(Path.Combine(DataDirectory, "tmp"));

    public string[] UploadEntries() => Directory.GetFileSystemEntries(Path.Combine(DataDirectory, "uploads"), "*", SearchOption.AllDirectories);

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A body that yields some bytes and then fails, as the server's verifying streams do on a bad digest.</summary>
public sealed class FailingStream(int bytesBeforeFailure, Exception failure) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= bytesBeforeFailure)
        {
            throw failure;
        }

        var n = Math.Min(count, bytesBeforeFailure - _position);
        Array.Fill(buffer, (byte)'x', offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
