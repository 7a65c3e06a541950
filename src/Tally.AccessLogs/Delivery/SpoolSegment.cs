using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Tally.Storage.Disk;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// An open spool segment: records of one source bucket (and, for PartitionedPrefix EventTime, one
/// UTC day) appended to <c>ID.log</c>. Owned by the spool's writer task alone, so not thread-safe.
/// </summary>
internal sealed class SpoolSegment(SegmentMetadata metadata, string directory) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private SafeFileHandle? _handle;

    public SegmentMetadata Metadata { get; private set; } = metadata;

    public string DataPath { get; } = Path.Combine(directory, metadata.SegmentId + ".log");

    public string MetadataPath { get; } = Path.Combine(directory, metadata.SegmentId + ".json");

    /// <summary>Bytes durable on disk.</summary>
    public long CommittedLength { get; private set; }

    /// <summary>Committed plus pending bytes.</summary>
    public long Length => CommittedLength + _pending.WrittenCount;

    public long Records { get; private set; }

    /// <summary>Records appended but not yet committed.</summary>
    public long PendingRecords { get; private set; }

    public bool HasPending => _pending.WrittenCount > 0;

    public void Append(ReadOnlySpan<byte> line)
    {
        _pending.Write(line);
        Records++;
        PendingRecords++;
    }

    /// <summary>
    /// Writes the pending bytes at the committed length and fsyncs. On failure nothing counts as
    /// committed and the next attempt writes the same bytes at the same offset again.
    /// </summary>
    public void Commit()
    {
        if (_handle is null)
        {
            // Sidecar first, then the data file: a data file never exists without its destination.
            var created = !Directory.Exists(directory);
            Directory.CreateDirectory(directory);
            if (created)
            {
                DurableFiles.SyncDirectory(Path.GetDirectoryName(directory)!);
            }

            DurableFiles.WriteAtomically(MetadataPath, Metadata.ToJson());
            _handle = File.OpenHandle(DataPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
            DurableFiles.SyncDirectory(directory);
        }

        if (_pending.WrittenCount == 0)
        {
            return;
        }

        RandomAccess.Write(_handle, _pending.WrittenSpan, CommittedLength);
        RandomAccess.FlushToDisk(_handle);
        CommittedLength += _pending.WrittenCount;
        _pending.ResetWrittenCount();
        PendingRecords = 0;
    }

    /// <summary>Fixes the key and seal time durably; the segment is then ready for delivery.</summary>
    public SealedSegment Seal(DateTimeOffset sealedAt)
    {
        var sealedMetadata = Metadata.Seal(sealedAt);
        DurableFiles.WriteAtomically(MetadataPath, sealedMetadata.ToJson());
        Metadata = sealedMetadata;
        Dispose();
        return new SealedSegment(sealedMetadata, DataPath, MetadataPath, Records, CommittedLength);
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
    }
}

/// <summary>A sealed segment waiting for delivery under <see cref="SegmentMetadata.Key"/>.</summary>
public sealed record SealedSegment(SegmentMetadata Metadata, string DataPath, string MetadataPath, long Records, long Bytes)
{
    public string Key => Metadata.Key ?? throw new InvalidOperationException("A sealed segment has a key.");

    public string SourceBucket => Metadata.SourceBucket;
}
