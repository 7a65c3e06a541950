using System.Globalization;
using System.IO.Compression;

namespace Tally.Storage.Disk;

/// <summary>
/// The cold tier: object data moved by lifecycle transitions into a second directory (another
/// disk, <c>--cold-dir</c>), Brotli-compressed, one file per data file id. A file is written under
/// <c>tmp/&lt;id&gt;</c>, fsynced, linked to its final name and its catalog row committed before
/// the tmp name is dropped, so recovery tells an unfinished move (tmp name, no row: both names go)
/// from a finished one (row present: only the tmp name goes), as <see cref="StagedFile"/> does.
/// Restored copies of archived objects are plain files under <c>&lt;data&gt;/restored</c>.
/// </summary>
internal sealed class ColdTier
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS cold_data(
            data_file TEXT NOT NULL PRIMARY KEY,
            path TEXT NOT NULL,
            stored_size INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS restores(
            data_file TEXT NOT NULL PRIMARY KEY,
            requested_ms INTEGER NOT NULL,
            ready_ms INTEGER NOT NULL,
            expiry_ms INTEGER NOT NULL,
            days INTEGER NOT NULL,
            tier TEXT NOT NULL,
            copy_path TEXT) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS cold_deletes(
            path TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        """;

    internal const int BufferSize = 256 * 1024;

    public ColdTier(string coldDirectory, string dataRoot)
    {
        Root = Path.GetFullPath(coldDirectory);
        Tmp = Path.Combine(Root, "tmp");
        Restored = Path.Combine(Path.GetFullPath(dataRoot), "restored");
    }

    public string Root { get; }

    public string Tmp { get; }

    public string Restored { get; }

    public string ColdFile(string fileId) => Path.Combine(Root, fileId[..2], fileId + ".br");

    public string TmpFile(string fileId) => Path.Combine(Tmp, fileId);

    public string RestoredFile(string fileId) => Path.Combine(Restored, fileId);

    /// <summary>Creates the directories and tables, and finishes what a crash interrupted. Runs before the catalog's writer starts.</summary>
    public void Recover(CatalogConnection db)
    {
        foreach (var dir in new[] { Root, Tmp, Restored })
        {
            Directory.CreateDirectory(dir);
        }

        for (var i = 0; i < 256; i++)
        {
            Directory.CreateDirectory(Path.Combine(Root, i.ToString("x2", CultureInfo.InvariantCulture)));
        }

        DurableFiles.SyncDirectory(Root);
        _ = db.Execute(Schema);

        // Moves in flight: committed ones keep their cold file, the others lose it.
        foreach (var tmp in Directory.EnumerateFiles(Tmp))
        {
            var fileId = Path.GetFileName(tmp);
            if (StagedFile.IsFileId(fileId) && db.Scalar("SELECT 1 FROM cold_data WHERE data_file = $p0", fileId) is null)
            {
                DurableFiles.TryDelete(ColdFile(fileId));
            }

            DurableFiles.TryDelete(tmp);
        }

        // Restored copies being written when the process stopped.
        foreach (var partial in Directory.EnumerateFiles(Restored, "*.tmp"))
        {
            DurableFiles.TryDelete(partial);
        }

        // Cold files and restored copies of deleted objects.
        var paths = new List<string>();
        using (var reader = db.Command("SELECT path FROM cold_deletes").ExecuteReader())
        {
            while (reader.Read())
            {
                paths.Add(reader.GetString(0));
            }
        }

        foreach (var path in paths)
        {
            DurableFiles.TryDelete(path);
            _ = db.Execute("DELETE FROM cold_deletes WHERE path = $p0", path);
        }
    }

    /// <summary>
    /// Compresses <paramref name="source"/> (or, for an object stored inline in the catalog,
    /// <paramref name="inlineBytes"/>) into the tmp file of <paramref name="fileId"/>, fsynced;
    /// returns the compressed size.
    /// </summary>
    public long Compress(string source, string fileId, byte[]? inlineBytes = null)
    {
        var tmp = TmpFile(fileId);
        try
        {
            using (var output = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                using (Stream input = inlineBytes is not null
                    ? new MemoryStream(inlineBytes, writable: false)
                    : new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.SequentialScan))
                using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
                {
                    input.CopyTo(brotli, BufferSize);
                }

                output.Flush(flushToDisk: true);
                return output.Length;
            }
        }
        catch
        {
            DurableFiles.TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Gives the compressed tmp file its final name and makes that durable (the tmp name stays until the commit).</summary>
    public string Publish(string fileId)
    {
        var final = ColdFile(fileId);
        DurableFiles.TryDelete(final);
        DurableFiles.Link(TmpFile(fileId), final);
        DurableFiles.SyncDirectory(Path.GetDirectoryName(final)!);
        return final;
    }

    public void DropTmpName(string fileId) => DurableFiles.TryDelete(TmpFile(fileId));

    /// <summary>Decompresses a cold file into the restored copy of <paramref name="fileId"/> (written under a .tmp name, then renamed, durable).</summary>
    public string Restore(string coldPath, string fileId)
    {
        var final = RestoredFile(fileId);
        var tmp = final + ".tmp";
        try
        {
            using (var output = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize))
            {
                using (var input = OpenDecompressed(coldPath))
                {
                    input.CopyTo(output, BufferSize);
                }

                output.Flush(flushToDisk: true);
            }

            File.Move(tmp, final, overwrite: true);
            DurableFiles.SyncDirectory(Restored);
            return final;
        }
        catch
        {
            DurableFiles.TryDelete(tmp);
            throw;
        }
    }

    public static Stream OpenDecompressed(string coldPath) =>
        new BrotliStream(
            new FileStream(coldPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.SequentialScan),
            CompressionMode.Decompress,
            leaveOpen: false);
}

/// <summary>
/// A cold object's bytes, decompressed as they are read. Seekable as GET needs it: forward by
/// decompressing and discarding, backward by starting over (a ranged GET seeks once).
/// </summary>
internal sealed class ColdReadStream(string coldPath, long length) : Stream
{
    private Stream _inner = ColdTier.OpenDecompressed(coldPath);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target < _position)
        {
            _inner.Dispose();
            _inner = ColdTier.OpenDecompressed(coldPath);
            _position = 0;
        }

        var skip = new byte[(int)Math.Min(ColdTier.BufferSize, Math.Max(target - _position, 1))];
        while (_position < target)
        {
            var read = _inner.Read(skip, 0, (int)Math.Min(skip.Length, target - _position));
            if (read == 0)
            {
                break;
            }

            _position += read;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
