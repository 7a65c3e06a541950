using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace Tally.Storage.Disk;

/// <summary>
/// A data file being written: first under <c>tmp/&lt;id&gt;</c>, then made durable and given its
/// final name. For objects the tmp name is kept (a hard link) until the metadata commit, so that
/// after a crash the open-time recovery can tell an uncommitted data file (tmp name present, no
/// catalog row) from a committed one without scanning every object.
/// </summary>
internal sealed class StagedFile
{
    internal const int BufferSize = 256 * 1024;

    /// <summary>Buffers in flight between receiving and hashing a body (<see cref="ReceiveAsync"/>).</summary>
    private const int PipelineBuffers = 4;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private readonly DataPaths _paths;
    private string? _finalPath;
    private bool _tmpExists = true;
    private SafeFileHandle? _handle;

    private StagedFile(DataPaths paths, string fileId, long size, byte[]? md5)
    {
        _paths = paths;
        FileId = fileId;
        Size = size;
        Md5 = md5;
    }

    public string FileId { get; }

    public long Size { get; }

    /// <summary>The MD5 of the bytes, or null for a file assembled from parts.</summary>
    public byte[]? Md5 { get; }

    public static string NewFileId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Writes <paramref name="prefix"/> (bytes the caller already read from the body) and then
    /// <paramref name="body"/> to its end into a new tmp file while computing its MD5. If
    /// reading throws, the tmp file is removed and the exception propagates. The file is not yet
    /// durable: <see cref="PublishAsObject"/> / <see cref="PublishAsPart"/> fsync it.
    /// </summary>
    /// <remarks>
    /// The MD5 runs beside the receiving and writing, a few buffers behind: hashing costs about as
    /// much CPU as moving the bytes (perf of a 256 MiB PUT: 40 % in MD5), so overlapping the two
    /// takes a large PUT from their sum to the larger of them.
    /// </remarks>
    public static async Task<StagedFile> ReceiveAsync(DataPaths paths, ReadOnlyMemory<byte> prefix, Stream body, CancellationToken ct)
    {
        var fileId = NewFileId();
        var tmp = paths.TmpFile(fileId);
#pragma warning disable CA5351 // S3 defines the ETag of a single-part object as the MD5 of its bytes; not a security use.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        md5.AppendData(prefix.Span);
        var buffers = new byte[PipelineBuffers][];
        var free = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var filled = Channel.CreateUnbounded<(byte[] Buffer, int Length)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = ArrayPool<byte>.Shared.Rent(BufferSize);
            _ = free.Writer.TryWrite(buffers[i]);
        }

        var hashing = Task.Run(async () =>
        {
            await foreach (var (buffer, length) in filled.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                md5.AppendData(buffer, 0, length);
                _ = free.Writer.TryWrite(buffer);
            }
        }, CancellationToken.None);
        long size = 0;
        var handle = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            if (!prefix.IsEmpty)
            {
                RandomAccess.Write(handle, prefix.Span, 0);
                size = prefix.Length;
            }

            while (true)
            {
                var buffer = await free.Reader.ReadAsync(ct).ConfigureAwait(false);
                var read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                RandomAccess.Write(handle, buffer.AsSpan(0, read), size);
                size += read;
                _ = filled.Writer.TryWrite((buffer, read));
            }

            filled.Writer.Complete();
            await hashing.ConfigureAwait(false);
            return new StagedFile(paths, fileId, size, md5.GetHashAndReset()) { _handle = handle };
        }
        catch
        {
            handle.Dispose();
            DurableFiles.TryDelete(tmp);
            throw;
        }
        finally
        {
            // The hashing task may still hold a buffer until it has drained what it was given.
            _ = filled.Writer.TryComplete();
            await hashing.ConfigureAwait(false);
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Concatenates <paramref name="sources"/> into a new tmp file, fsynced.</summary>
    public static async Task<StagedFile> ConcatenateAsync(DataPaths paths, IReadOnlyList<string> sources, CancellationToken ct)
    {
        var fileId = NewFileId();
        var tmp = paths.TmpFile(fileId);
        long size = 0;
        try
        {
            var output = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
            await using (output.ConfigureAwait(false))
            {
                foreach (var source in sources)
                {
                    ct.ThrowIfCancellationRequested();
                    var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
                    await using (input.ConfigureAwait(false))
                    {
                        // In the kernel when it can (the parts are usually still in the page cache).
                        if (DurableFiles.TryCopyInKernel(input.SafeFileHandle, output.SafeFileHandle, size) is { } copied)
                        {
                            size += copied;
                        }
                        else
                        {
                            output.Position = size;
                            await input.CopyToAsync(output, 1024 * 1024, ct).ConfigureAwait(false);
                            size = output.Position;
                        }
                    }
                }

                output.Flush(flushToDisk: true);
            }

            return new StagedFile(paths, fileId, size, null);
        }
        catch
        {
            DurableFiles.TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Gives the file its name in objects/ (keeping the tmp name as an in-flight marker) and makes
    /// that directory entry durable.
    /// </summary>
    public void PublishAsObject()
    {
        SyncTmpFile();
        var final = _paths.ObjectFile(FileId);
        DurableFiles.Link(_paths.TmpFile(FileId), final);
        _finalPath = final;
        DurableFiles.SyncDirectory(_paths.ObjectDirectory(FileId));
    }

    /// <summary>Moves the file into its upload's directory; orphans there are swept on open.</summary>
    public void PublishAsPart(string uploadId, int partNumber)
    {
        SyncTmpFile();
        var final = _paths.PartFile(uploadId, partNumber, FileId);
        File.Move(_paths.TmpFile(FileId), final);
        _tmpExists = false;
        _finalPath = final;
        DurableFiles.SyncDirectory(_paths.UploadDirectory(uploadId));
    }

    /// <summary>After the metadata commit: the in-flight marker is no longer needed.</summary>
    public void DropTmpName()
    {
        if (_tmpExists)
        {
            DurableFiles.TryDelete(_paths.TmpFile(FileId));
            _tmpExists = false;
        }
    }

    /// <summary>The write did not commit: remove every name of the file.</summary>
    public void Discard()
    {
        _handle?.Dispose();
        _handle = null;
        DropTmpName();
        if (_finalPath is not null)
        {
            DurableFiles.TryDelete(_finalPath);
        }
    }

    /// <summary>fsync through the handle that wrote the bytes, so a writeback error is reported to us.</summary>
    private void SyncTmpFile()
    {
        if (_handle is { } handle)
        {
            RandomAccess.FlushToDisk(handle);
            handle.Dispose();
            _handle = null;
        }
    }

    internal static bool IsFileId(string name) =>
        name.Length == 32 && name.AsSpan().IndexOfAnyExcept(LowerHex) < 0;
}
