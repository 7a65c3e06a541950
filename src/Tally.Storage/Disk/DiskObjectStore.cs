using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Tally.Core.Errors;
using Tally.Storage.Model;

namespace Tally.Storage.Disk;

/// <summary>
/// The embedded default store: object bytes as files under <c>&lt;data&gt;/objects</c>, metadata
/// in SQLite (<c>&lt;data&gt;/meta/catalog.db</c>). A write is acknowledged only after the data
/// file is fsynced under its final name, its directory entry is fsynced, and the catalog row is
/// committed (WAL, synchronous=FULL); readers only ever find data through a committed row, so an
/// object is never visible half-written. Open with <see cref="Open"/>; one instance per data
/// directory at a time.
/// </summary>
public sealed partial class DiskObjectStore : IObjectStore, IBucketSettingsStore, IDisposable, IAsyncDisposable
{
    /// <summary>AWS minimum size of every part but the last (CompleteMultipartUpload, EntityTooSmall).</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>AWS part numbers are 1..10000.</summary>
    public const int MaxPartNumber = 10_000;

    internal const string ObjectColumns = "key, size, etag, modified_ms, headers, tags, checksums, storage_class, owner, part_sizes, data_file, version_id, latest, marker, noncurrent_ms, seq";
    internal const string BucketColumns = "name, owner_account, owner_canonical, region, created_ms, versioning";

    /// <summary>Generated version ids: 24 random bytes, base64url (URL-safe, never "null").</summary>
    internal const int VersionIdLength = 32;
    internal const string PartColumns = "part_number, etag, size, modified_ms, checksums, data_file";
    internal const int UploadIdLength = 12 + 24;

    /// <summary>
    /// Objects of at most this many bytes are stored inside the catalog (inline_data) instead of a
    /// data file: one group-committed WAL fsync then makes a small PUT durable, where a file costs
    /// fsync(file), fsync(directory) and the commit on every request's path.
    /// </summary>
    internal const int InlineThreshold = 64 * 1024;

    internal const string SelectInlineSql = "SELECT bytes FROM inline_data WHERE data_file = $p0";

    /// <summary>Enough parallel fsyncs for the project's target of 32 concurrent writers.</summary>
    internal const int SyncThreadCount = 32;

    private static readonly SearchValues<char> UploadIdChars =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_");

    private static readonly IReadOnlyDictionary<string, string> NoEntries = new Dictionary<string, string>(StringComparer.Ordinal);

    private readonly DataPaths _paths;
    private readonly TimeProvider _time;
    private readonly SqliteCatalog _catalog;
    private readonly SyncThreads _syncThreads = new(SyncThreadCount);

    private DiskObjectStore(DataPaths paths, TimeProvider time, SqliteCatalog catalog)
    {
        _paths = paths;
        _time = time;
        _catalog = catalog;
    }

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="dataDirectory"/> and recovers from a
    /// crash: uncommitted data files and tmp files are removed, replaced data files listed in
    /// pending_deletes are deleted, and part files of unknown uploads are swept. Lifecycle's cold
    /// tier lives in <paramref name="coldDirectory"/> (default &lt;data&gt;/cold).
    /// </summary>
    public static DiskObjectStore Open(string dataDirectory, TimeProvider time, string? coldDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        var paths = new DataPaths(dataDirectory);
        paths.Create();
        var catalog = new SqliteCatalog(paths.Catalog);
        var cold = new ColdTier(coldDirectory ?? Path.Combine(paths.Root, "cold"), paths.Root);
        try
        {
            catalog.RunExclusive(db => Recover(paths, db));
            catalog.RunExclusive(cold.Recover);
            catalog.Start();
        }
        catch
        {
            catalog.Dispose();
            throw;
        }

        return new DiskObjectStore(paths, time, catalog) { _cold = cold };
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _syncThreads.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // ---- buckets -------------------------------------------------------------------------

    public Task CreateBucketAsync(BucketInfo bucket, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ct.ThrowIfCancellationRequested();
        return _catalog.WriteAsync(w =>
        {
            var owner = (string?)w.Db.Scalar("SELECT owner_canonical FROM buckets WHERE name = $p0", bucket.Name);
            if (owner is not null)
            {
                throw S3Exception.With(
                    string.Equals(owner, bucket.OwnerCanonicalId, StringComparison.Ordinal) ? S3Errors.BucketAlreadyOwnedByYou : S3Errors.BucketAlreadyExists,
                    null,
                    ("BucketName", bucket.Name));
            }

            _ = w.Db.Execute(
                "INSERT INTO buckets(name, owner_account, owner_canonical, region, created_ms) VALUES($p0, $p1, $p2, $p3, $p4)",
                bucket.Name,
                bucket.OwnerAccountId,
                bucket.OwnerCanonicalId,
                bucket.Region,
                bucket.CreatedAt.ToUnixTimeMilliseconds());
            return true;
        });
    }

    public async Task DeleteBucketAsync(string bucket, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _ = await _catalog.WriteAsync(w =>
        {
            RequireBucket(w.Db, bucket);
            if (w.Db.Scalar("SELECT 1 FROM objects WHERE bucket = $p0 LIMIT 1", bucket) is not null)
            {
                throw S3Exception.With(S3Errors.BucketNotEmpty, null, ("BucketName", bucket));
            }

            var uploads = new List<string>();
            using (var reader = w.Db.Command("SELECT upload_id FROM uploads WHERE bucket = $p0", bucket).ExecuteReader())
            {
                while (reader.Read())
                {
                    uploads.Add(reader.GetString(0));
                }
            }

            foreach (var uploadId in uploads)
            {
                DeleteUploadRows(w, uploadId);
            }

            _ = w.Db.Execute("DELETE FROM settings WHERE bucket = $p0", bucket);
            _ = w.Db.Execute("DELETE FROM buckets WHERE name = $p0", bucket);
            return true;
        }).ConfigureAwait(false);
    }

    public Task<BucketInfo?> GetBucketAsync(string bucket, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_catalog.Read(db =>
        {
            using var reader = db.Command("SELECT " + BucketColumns + " FROM buckets WHERE name = $p0", bucket).ExecuteReader();
            return reader.Read() ? ReadBucket(reader) : null;
        }));
    }

    public Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<BucketInfo>>(_catalog.Read(db =>
        {
            var buckets = new List<BucketInfo>();
            using var reader = db.Command("SELECT " + BucketColumns + " FROM buckets ORDER BY name").ExecuteReader();
            while (reader.Read())
            {
                buckets.Add(ReadBucket(reader));
            }

            return buckets;
        }));
    }

    // ---- objects -------------------------------------------------------------------------

    public async Task<ObjectInfo> PutObjectAsync(string bucket, string key, Stream body, ObjectWrite write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(write);
        _catalog.Read(db => RequireBucket(db, bucket));

        // Small bodies are stored inline (see InlineThreshold); a larger one continues into a file.
        StagedFile staged;
        var head = ArrayPool<byte>.Shared.Rent(InlineThreshold + 1);
        try
        {
            var length = await ReadHeadAsync(body, head.AsMemory(0, InlineThreshold + 1), ct).ConfigureAwait(false);
            if (length <= InlineThreshold)
            {
                // The body reported its end, so its own verification (digests, signatures) passed.
                return await PutInlineAsync(bucket, key, head.AsSpan(0, length).ToArray(), write, ct).ConfigureAwait(false);
            }

            staged = await StagedFile.ReceiveAsync(_paths, head.AsMemory(0, length), body, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }

        ObjectInfo info;
        try
        {
            // The callback runs only now: trailing checksums are known once the body has ended.
            var checksums = write.Checksums?.Invoke() ?? NoEntries;
            ct.ThrowIfCancellationRequested();
            await _syncThreads.RunAsync(staged.PublishAsObject).ConfigureAwait(false);
            var etag = Quote(Convert.ToHexStringLower(staged.Md5!));
            var row = new ObjectInfo(bucket, key, staged.Size, etag, Now(), write.Headers, write.Tags, checksums, write.StorageClass, write.OwnerCanonicalId, null);

            // Not cancellable from here on: a queued write commits, and its data file must stay.
            info = await _catalog.WriteAsync(w => AddVersion(w, row, staged.FileId, write.Acl)).ConfigureAwait(false);
        }
        catch
        {
            staged.Discard();
            throw;
        }

        staged.DropTmpName();
        return info;
    }

    /// <summary>
    /// Reads until <paramref name="buffer"/> is full or the body ends; returns the bytes read.
    /// Fewer than the buffer's length means the body's end was seen.
    /// </summary>
    private static async Task<int> ReadHeadAsync(Stream body, Memory<byte> buffer, CancellationToken ct)
    {
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer[length..], ct).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return length;
    }

    /// <summary>
    /// A small object: its bytes go into inline_data in the same transaction as its row, so the
    /// one group-committed WAL fsync makes both durable (no data file, no directory fsync). It
    /// still gets a data file id, which is how deletes, lifecycle and restores name its data.
    /// </summary>
    private async Task<ObjectInfo> PutInlineAsync(string bucket, string key, byte[] bytes, ObjectWrite write, CancellationToken ct)
    {
        var checksums = write.Checksums?.Invoke() ?? NoEntries;
        ct.ThrowIfCancellationRequested();
#pragma warning disable CA5351 // S3 defines the ETag of a single-part object as the MD5 of its bytes; not a security use.
        var etag = Quote(Convert.ToHexStringLower(MD5.HashData(bytes)));
#pragma warning restore CA5351
        var fileId = StagedFile.NewFileId();
        var row = new ObjectInfo(bucket, key, bytes.Length, etag, Now(), write.Headers, write.Tags, checksums, write.StorageClass, write.OwnerCanonicalId, null);
        return await _catalog.WriteAsync(w =>
        {
            var added = AddVersion(w, row, fileId, write.Acl);
            _ = w.Db.Execute("INSERT INTO inline_data(data_file, bytes) VALUES($p0, $p1)", fileId, bytes);
            return added;
        }).ConfigureAwait(false);
    }

    public Task<ObjectRead> GetObjectAsync(string bucket, string key, CancellationToken ct) => GetObjectAsync(bucket, key, null, ct);

    public Task<ObjectRead> GetObjectAsync(string bucket, string key, string? versionId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();

        // A concurrent overwrite may delete the file between reading the row and opening it; the
        // row read again then names the new file. Bounded: each retry needs a newer commit.
        for (var attempt = 0; ; attempt++)
        {
            var (info, dataFile, inline) = FindObjectData(bucket, key, versionId);
            RequireRestoredIfArchived(info, dataFile);
            if (inline is not null)
            {
                // Inline bytes are a snapshot from the row's transaction: no file, no race to retry.
                return Task.FromResult(new ObjectRead(info, new MemoryStream(inline, writable: false)));
            }

            try
            {
                var content = new FileStream(_paths.ObjectFile(dataFile), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, FileOptions.SequentialScan);
                return Task.FromResult(new ObjectRead(info, content));
            }
            catch (FileNotFoundException) when (attempt < 8)
            {
                // No hot file: the data may have moved to the cold tier (DiskObjectStore.Lifecycle.cs).
                if (OpenCold(info, dataFile) is { } cold)
                {
                    return Task.FromResult(cold);
                }
            }
        }
    }

    public Task<ObjectInfo> HeadObjectAsync(string bucket, string key, CancellationToken ct) => HeadObjectAsync(bucket, key, null, ct);

    public Task<ObjectInfo> HeadObjectAsync(string bucket, string key, string? versionId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(FindObject(bucket, key, versionId).Info);
    }

    public async Task<ObjectInfo?> DeleteObjectAsync(string bucket, string key, CancellationToken ct) =>
        (await DeleteObjectAsync(bucket, key, DeleteObjectOptions.Current, ct).ConfigureAwait(false)).Removed;

    public Task<ObjectDeletion> DeleteObjectAsync(string bucket, string key, DeleteObjectOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ct.ThrowIfCancellationRequested();
        if (options.VersionId is { } requested)
        {
            RequireWellFormedVersionId(requested);
        }

        return _catalog.WriteAsync(w =>
        {
            var (status, bucketOwner) = RequireBucketVersioning(w.Db, bucket);
            if (options.IfLatestVersionId is { } expected
                && !string.Equals(SelectLatest(w.Db, bucket, key)?.Version.VersionId, expected, StringComparison.Ordinal))
            {
                throw new S3Exception(S3Errors.PreconditionFailed, "The key's latest version is no longer " + expected);
            }

            if (options.VersionId is { } versionId)
            {
                var row = SelectVersion(w.Db, bucket, key, versionId);
                if (row is null)
                {
                    return new ObjectDeletion(versionId, DeleteMarker: false, Removed: null);
                }

                if (options.OnlyIfSoleVersion && w.Db.Scalar("SELECT 1 FROM objects WHERE bucket = $p0 AND key = $p1 AND seq <> $p2 LIMIT 1", bucket, key, row.Seq) is not null)
                {
                    throw new S3Exception(S3Errors.PreconditionFailed, "The version is not the key's only version.");
                }

                RemoveVersion(w, row);
                return new ObjectDeletion(versionId, row.Version.IsDeleteMarker, row.Version.Object);
            }

            if (status == VersioningStatus.Unversioned)
            {
                var removed = SelectVersion(w.Db, bucket, key, ObjectVersion.NullId);
                if (removed is not null)
                {
                    RemoveVersion(w, removed);
                }

                return new ObjectDeletion(null, DeleteMarker: false, removed?.Version.Object);
            }

            var marker = new ObjectInfo(bucket, key, 0, string.Empty, Now(), ObjectHeaders.Empty, NoEntries, NoEntries, "STANDARD", options.RequesterCanonicalId ?? bucketOwner, null);
            var (markerId, replaced) = InsertVersion(w, status, marker, dataFile: null);
            return new ObjectDeletion(markerId, DeleteMarker: true, replaced?.Version.Object) { MarkerCreated = true };
        });
    }

    public Task<ListObjectsPage> ListObjectsAsync(string bucket, ListObjectsQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ct.ThrowIfCancellationRequested();
        var prefix = query.Prefix ?? string.Empty;
        return Task.FromResult(_catalog.Read(db =>
        {
            var everVersioned = RequireBucketVersioning(db, bucket).Status != VersioningStatus.Unversioned;
            var entries = DelimitedListing.Walk(
                prefix,
                query.Delimiter,
                query.StartAfter,
                DelimitedListing.Start(prefix, query.StartAfter),
                query.MaxKeys,
                (cursor, upper, limit) => ScanObjects(db, bucket, cursor, upper, limit, everVersioned),
                o => o.Key,
                o => new ListCursor(o.Key, Inclusive: false));

            var max = Math.Max(query.MaxKeys, 0);
            var truncated = entries.Count > max;
            if (truncated)
            {
                entries.RemoveAt(entries.Count - 1);
            }

            var objects = new List<ObjectInfo>(entries.Count);
            var prefixes = new List<string>();
            foreach (var entry in entries)
            {
                if (entry.Row is { } row)
                {
                    objects.Add(row);
                }
                else
                {
                    prefixes.Add(entry.CommonPrefix!);
                }
            }

            var next = truncated && entries.Count > 0 ? entries[^1].Row?.Key ?? entries[^1].CommonPrefix : null;
            return new ListObjectsPage(objects, prefixes, truncated, next);
        }));
    }

    public Task<ObjectInfo> PutObjectTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        PutObjectTagsAsync(bucket, key, null, tags, ct);

    public Task<ObjectInfo> PutObjectTagsAsync(string bucket, string key, string? versionId, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ct.ThrowIfCancellationRequested();
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        return _catalog.WriteAsync(w =>
        {
            var row = RequireObjectVersion(w.Db, bucket, key, versionId);
            _ = w.Db.Execute("UPDATE objects SET tags = $p3 WHERE bucket = $p0 AND key = $p1 AND seq = $p2", bucket, key, row.Seq, CatalogJson.Map(tags));
            return row.Version.Object! with { Tags = tags };
        });
    }

    public Task<(ObjectInfo Info, string? Acl)> GetObjectAclAsync(string bucket, string key, string? versionId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        return Task.FromResult(_catalog.Read(db =>
        {
            var row = RequireObjectVersion(db, bucket, key, versionId);
            var acl = db.Scalar("SELECT acl FROM objects WHERE bucket = $p0 AND key = $p1 AND seq = $p2", bucket, key, row.Seq) as string;
            return (row.Version.Object!, acl);
        }));
    }

    public Task<ObjectInfo> PutObjectAclAsync(string bucket, string key, string? versionId, string? acl, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        return _catalog.WriteAsync(w =>
        {
            var row = RequireObjectVersion(w.Db, bucket, key, versionId);
            _ = w.Db.Execute("UPDATE objects SET acl = $p3 WHERE bucket = $p0 AND key = $p1 AND seq = $p2", bucket, key, row.Seq, acl);
            return row.Version.Object!;
        });
    }

    // ---- versioning ----------------------------------------------------------------------

    public Task<VersioningStatus> GetBucketVersioningAsync(string bucket, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_catalog.Read(db => RequireBucketVersioning(db, bucket).Status));
    }

    public async Task PutBucketVersioningAsync(string bucket, VersioningStatus status, CancellationToken ct)
    {
        if (status is not (VersioningStatus.Enabled or VersioningStatus.Suspended))
        {
            throw new ArgumentException("A bucket's versioning can only be set to Enabled or Suspended.", nameof(status));
        }

        ct.ThrowIfCancellationRequested();
        _ = await _catalog.WriteAsync(w =>
        {
            RequireBucket(w.Db, bucket);
            return w.Db.Execute("UPDATE buckets SET versioning = $p1 WHERE name = $p0", bucket, status.ToString());
        }).ConfigureAwait(false);
    }

    public Task<ObjectVersion> GetObjectVersionAsync(string bucket, string key, string? versionId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        return Task.FromResult(_catalog.Read(db =>
        {
            var row = versionId is null ? SelectLatest(db, bucket, key) : SelectVersion(db, bucket, key, versionId);
            return row?.Version ?? throw (versionId is null ? NoSuchKey(db, bucket, key) : NoSuchVersion(db, bucket, key, versionId));
        }));
    }

    public Task<ListObjectVersionsPage> ListObjectVersionsAsync(string bucket, ListObjectVersionsQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ct.ThrowIfCancellationRequested();
        var prefix = query.Prefix ?? string.Empty;

        // AWS: version-id-marker is ignored without key-marker.
        var keyMarker = string.IsNullOrEmpty(query.KeyMarker) ? null : query.KeyMarker;
        var tieBreak = keyMarker is null || string.IsNullOrEmpty(query.VersionIdMarker) ? null : query.VersionIdMarker;
        if (tieBreak is not null)
        {
            RequireWellFormedVersionId(tieBreak, "version-id-marker");
        }

        return Task.FromResult(_catalog.Read(db =>
        {
            RequireBucket(db, bucket);
            var entries = DelimitedListing.Walk(
                prefix,
                query.Delimiter,
                keyMarker,
                DelimitedListing.Start(prefix, keyMarker, tieBreak),
                query.MaxKeys,
                (cursor, upper, limit) => ScanVersions(db, bucket, cursor, upper, limit),
                v => v.Version.Key,
                v => new ListCursor(v.Version.Key, Inclusive: false, v.Version.VersionId));

            var max = Math.Max(query.MaxKeys, 0);
            var truncated = entries.Count > max;
            if (truncated)
            {
                entries.RemoveAt(entries.Count - 1);
            }

            var versions = new List<ObjectVersion>(entries.Count);
            var prefixes = new List<string>();
            foreach (var entry in entries)
            {
                if (entry.Row is { } row)
                {
                    versions.Add(row.Version);
                }
                else
                {
                    prefixes.Add(entry.CommonPrefix!);
                }
            }

            string? nextKey = null;
            string? nextVersion = null;
            if (truncated && entries.Count > 0)
            {
                nextKey = entries[^1].Row?.Version.Key ?? entries[^1].CommonPrefix;
                nextVersion = entries[^1].Row?.Version.VersionId;
            }

            return new ListObjectVersionsPage(versions, prefixes, truncated, nextKey, nextVersion);
        }));
    }

    public Task<KeyVersionsPage> ListKeyVersionsAsync(string bucket, string? prefix, string? afterKey, int maxKeys, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var from = DelimitedListing.Start(prefix ?? string.Empty, string.IsNullOrEmpty(afterKey) ? null : afterKey);
        var upper = string.IsNullOrEmpty(prefix) ? null : Utf8KeyOrder.PrefixEnd(prefix);
        var max = Math.Max(maxKeys, 1);
        return Task.FromResult(_catalog.Read(db =>
        {
            RequireBucket(db, bucket);
            var keys = new List<KeyVersions>();
            var current = new List<ObjectVersion>();
            string? next = null;

            // The reader streams: rows past the last whole key asked for are never read.
            foreach (var row in ScanAllVersions(db, bucket, from, upper))
            {
                if (current.Count > 0 && !string.Equals(current[0].Key, row.Version.Key, StringComparison.Ordinal))
                {
                    keys.Add(new KeyVersions(current[0].Key, current));
                    if (keys.Count == max)
                    {
                        next = current[0].Key;
                        current = [];
                        break;
                    }

                    current = [];
                }

                current.Add(row.Version);
            }

            if (current.Count > 0)
            {
                keys.Add(new KeyVersions(current[0].Key, current));
            }

            return new KeyVersionsPage(keys, next);
        }));
    }

    // ---- multipart -----------------------------------------------------------------------

    public async Task<MultipartUpload> CreateMultipartUploadAsync(string bucket, string key, ObjectWrite write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        ct.ThrowIfCancellationRequested();
        _catalog.Read(db => RequireBucket(db, bucket));

        var initiated = Now();
        var uploadId = NewUploadId(initiated);
        var directory = _paths.UploadDirectory(uploadId);
        _ = Directory.CreateDirectory(directory);
        DurableFiles.SyncDirectory(_paths.Uploads);
        var stored = new ObjectWrite(write.Headers, write.OwnerCanonicalId, write.Tags, write.StorageClass, Acl: write.Acl);
        try
        {
            return await _catalog.WriteAsync(w =>
            {
                RequireBucket(w.Db, bucket);
                _ = w.Db.Execute(
                    "INSERT INTO uploads(upload_id, bucket, key, initiated_ms, write) VALUES($p0, $p1, $p2, $p3, $p4)",
                    uploadId,
                    bucket,
                    key,
                    initiated.ToUnixTimeMilliseconds(),
                    CatalogJson.UploadWrite(write));
                return new MultipartUpload(bucket, key, uploadId, initiated, stored);
            }).ConfigureAwait(false);
        }
        catch
        {
            DurableFiles.TryDeleteDirectory(directory);
            throw;
        }
    }

    public async Task<PartInfo> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, PartWrite write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(write);
        if (partNumber is < 1 or > MaxPartNumber)
        {
            throw S3Exception.With(
                S3Errors.InvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive",
                ("ArgumentName", "partNumber"),
                ("ArgumentValue", partNumber.ToString(CultureInfo.InvariantCulture)));
        }

        _ = _catalog.Read(db => RequireUpload(db, bucket, key, uploadId));

        var staged = await StagedFile.ReceiveAsync(_paths, ReadOnlyMemory<byte>.Empty, body, ct).ConfigureAwait(false);
        PartInfo part;
        try
        {
            var checksums = write.Checksums?.Invoke() ?? NoEntries;
            ct.ThrowIfCancellationRequested();
            try
            {
                await _syncThreads.RunAsync(() => staged.PublishAsPart(uploadId, partNumber)).ConfigureAwait(false);
            }
            catch (DirectoryNotFoundException)
            {
                // Aborted (or completed) while the body was arriving.
                throw NoSuchUpload(uploadId);
            }

            var row = new PartInfo(partNumber, Quote(Convert.ToHexStringLower(staged.Md5!)), staged.Size, Now(), checksums);
            part = await _catalog.WriteAsync(w =>
            {
                _ = RequireUpload(w.Db, bucket, key, uploadId);
                var previous = (string?)w.Db.Scalar("SELECT data_file FROM parts WHERE upload_id = $p0 AND part_number = $p1", uploadId, partNumber);
                _ = w.Db.Execute(
                    "INSERT OR REPLACE INTO parts(upload_id, part_number, etag, size, modified_ms, checksums, data_file) VALUES($p0, $p1, $p2, $p3, $p4, $p5, $p6)",
                    uploadId,
                    partNumber,
                    row.ETag,
                    row.Size,
                    row.LastModified.ToUnixTimeMilliseconds(),
                    CatalogJson.Map(row.Checksums),
                    staged.FileId);
                if (previous is not null)
                {
                    // A crash before this delete leaves an unreferenced part file: swept on open.
                    var previousPath = _paths.PartFile(uploadId, partNumber, previous);
                    w.OnCommitted(() => DurableFiles.TryDelete(previousPath));
                }

                return row;
            }).ConfigureAwait(false);
        }
        catch
        {
            staged.Discard();
            throw;
        }

        return part;
    }

    public async Task<ObjectInfo> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ct.ThrowIfCancellationRequested();
        var (upload, stored) = _catalog.Read(db => (RequireUpload(db, bucket, key, uploadId), SelectParts(db, uploadId, 0, int.MaxValue)));
        if (parts.Count == 0)
        {
            throw new S3Exception(S3Errors.MalformedXML, "The XML you provided was not well-formed or did not validate against our published schema");
        }

        var byNumber = stored.ToDictionary(p => p.Info.PartNumber);
        var chosen = new List<(PartInfo Info, string DataFile)>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var requested = parts[i];
            if (i > 0 && requested.PartNumber <= parts[i - 1].PartNumber)
            {
                throw new S3Exception(S3Errors.InvalidPartOrder);
            }

            if (!byNumber.TryGetValue(requested.PartNumber, out var part) || !SameETag(part.Info.ETag, requested.ETag))
            {
                throw S3Exception.With(
                    S3Errors.InvalidPart,
                    null,
                    ("UploadId", uploadId),
                    ("PartNumber", requested.PartNumber.ToString(CultureInfo.InvariantCulture)),
                    ("ETag", requested.ETag ?? string.Empty));
            }

            chosen.Add(part);
        }

        for (var i = 0; i < chosen.Count - 1; i++)
        {
            if (chosen[i].Info.Size < MinPartSize)
            {
                throw S3Exception.With(
                    S3Errors.EntityTooSmall,
                    null,
                    ("ProposedSize", chosen[i].Info.Size.ToString(CultureInfo.InvariantCulture)),
                    ("MinSizeAllowed", MinPartSize.ToString(CultureInfo.InvariantCulture)),
                    ("PartNumber", chosen[i].Info.PartNumber.ToString(CultureInfo.InvariantCulture)),
                    ("ETag", chosen[i].Info.ETag));
            }
        }

        var etag = MultipartETag(chosen.Select(p => p.Info.ETag));
        StagedFile staged;
        try
        {
            staged = await StagedFile.ConcatenateAsync(
                _paths,
                chosen.Select(p => _paths.PartFile(uploadId, p.Info.PartNumber, p.DataFile)).ToList(),
                ct).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            // A part was replaced or the upload aborted while we were reading.
            throw S3Exception.With(S3Errors.InvalidPart, null, ("UploadId", uploadId));
        }

        ObjectInfo info;
        try
        {
            ct.ThrowIfCancellationRequested();
            await _syncThreads.RunAsync(staged.PublishAsObject).ConfigureAwait(false);
            var write = upload.Write;
            var row = new ObjectInfo(
                bucket,
                key,
                staged.Size,
                etag,
                Now(),
                write.Headers,
                write.Tags,
                NoEntries,
                write.StorageClass,
                write.OwnerCanonicalId,
                chosen.Select(p => p.Info.Size).ToList());
            info = await _catalog.WriteAsync(w =>
            {
                _ = RequireUpload(w.Db, bucket, key, uploadId);
                foreach (var (part, dataFile) in chosen)
                {
                    var current = (string?)w.Db.Scalar("SELECT data_file FROM parts WHERE upload_id = $p0 AND part_number = $p1", uploadId, part.PartNumber);
                    if (!string.Equals(current, dataFile, StringComparison.Ordinal))
                    {
                        throw S3Exception.With(S3Errors.InvalidPart, null, ("UploadId", uploadId), ("PartNumber", part.PartNumber.ToString(CultureInfo.InvariantCulture)));
                    }
                }

                var added = AddVersion(w, row, staged.FileId, write.Acl);
                DeleteUploadRows(w, uploadId);
                return added;
            }).ConfigureAwait(false);
        }
        catch
        {
            staged.Discard();
            throw;
        }

        staged.DropTmpName();
        return info;
    }

    public async Task AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _ = await _catalog.WriteAsync(w =>
        {
            _ = RequireUpload(w.Db, bucket, key, uploadId);
            DeleteUploadRows(w, uploadId);
            return true;
        }).ConfigureAwait(false);
    }

    public Task<MultipartUpload> GetMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_catalog.Read(db => RequireUpload(db, bucket, key, uploadId)));
    }

    public Task<ListPartsPage> ListPartsAsync(string bucket, string key, string uploadId, int partNumberMarker, int maxParts, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_catalog.Read(db =>
        {
            _ = RequireUpload(db, bucket, key, uploadId);
            var max = Math.Max(maxParts, 0);
            var rows = SelectParts(db, uploadId, partNumberMarker, max + 1);
            var truncated = rows.Count > max;
            var parts = rows.Take(max).Select(p => p.Info).ToList();
            return new ListPartsPage(parts, truncated, parts.Count > 0 ? parts[^1].PartNumber : 0);
        }));
    }

    public Task<ListMultipartUploadsPage> ListMultipartUploadsAsync(string bucket, ListMultipartUploadsQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ct.ThrowIfCancellationRequested();
        var prefix = query.Prefix ?? string.Empty;

        // AWS: upload-id-marker is ignored without key-marker.
        var tieBreak = query.KeyMarker is null ? null : query.UploadIdMarker;
        return Task.FromResult(_catalog.Read(db =>
        {
            RequireBucket(db, bucket);
            var entries = DelimitedListing.Walk(
                prefix,
                query.Delimiter,
                query.KeyMarker,
                DelimitedListing.Start(prefix, query.KeyMarker, tieBreak),
                query.MaxUploads,
                (cursor, upper, limit) => ScanUploads(db, bucket, cursor, upper, limit),
                u => u.Key,
                u => new ListCursor(u.Key, Inclusive: false, u.UploadId));

            var max = Math.Max(query.MaxUploads, 0);
            var truncated = entries.Count > max;
            if (truncated)
            {
                entries.RemoveAt(entries.Count - 1);
            }

            var uploads = new List<MultipartUpload>(entries.Count);
            var prefixes = new List<string>();
            foreach (var entry in entries)
            {
                if (entry.Row is { } row)
                {
                    uploads.Add(row);
                }
                else
                {
                    prefixes.Add(entry.CommonPrefix!);
                }
            }

            string? nextKey = null;
            string? nextUploadId = null;
            if (truncated && entries.Count > 0)
            {
                nextKey = entries[^1].Row?.Key ?? entries[^1].CommonPrefix;
                nextUploadId = entries[^1].Row?.UploadId;
            }

            return new ListMultipartUploadsPage(uploads, prefixes, truncated, nextKey, nextUploadId);
        }));
    }

    // ---- bucket settings -----------------------------------------------------------------

    Task<string?> IBucketSettingsStore.GetAsync(string bucket, string kind, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_catalog.Read(db => (string?)db.Scalar("SELECT document FROM settings WHERE bucket = $p0 AND kind = $p1", bucket, kind)));
    }

    async Task IBucketSettingsStore.PutAsync(string bucket, string kind, string document, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(document);
        ct.ThrowIfCancellationRequested();
        _ = await _catalog.WriteAsync(w =>
        {
            RequireBucket(w.Db, bucket);
            return w.Db.Execute("INSERT OR REPLACE INTO settings(bucket, kind, document) VALUES($p0, $p1, $p2)", bucket, kind, document);
        }).ConfigureAwait(false);
    }

    async Task IBucketSettingsStore.DeleteAsync(string bucket, string kind, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _ = await _catalog.WriteAsync(w =>
        {
            RequireBucket(w.Db, bucket);
            return w.Db.Execute("DELETE FROM settings WHERE bucket = $p0 AND kind = $p1", bucket, kind);
        }).ConfigureAwait(false);
    }

    Task<IReadOnlyList<(string Bucket, string Document)>> IBucketSettingsStore.ListAsync(string kind, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<(string Bucket, string Document)>>(_catalog.Read(db =>
        {
            var list = new List<(string, string)>();
            using var reader = db.Command("SELECT bucket, document FROM settings WHERE kind = $p0 ORDER BY bucket", kind).ExecuteReader();
            while (reader.Read())
            {
                list.Add((reader.GetString(0), reader.GetString(1)));
            }

            return list;
        }));
    }

    // ---- helpers -------------------------------------------------------------------------

    /// <summary>The multipart ETag: MD5 of the concatenated binary MD5s of the parts, then "-N".</summary>
    internal static string MultipartETag(IEnumerable<string> partETags)
    {
        var digests = new List<byte>();
        var count = 0;
        foreach (var etag in partETags)
        {
            digests.AddRange(Convert.FromHexString(etag.Trim('"')));
            count++;
        }

#pragma warning disable CA5351 // S3 defines the multipart ETag with MD5; not a security use.
        var hash = MD5.HashData(digests.ToArray());
#pragma warning restore CA5351
        return Quote(Convert.ToHexStringLower(hash) + "-" + count.ToString(CultureInfo.InvariantCulture));
    }

    private static void Recover(DataPaths paths, CatalogConnection db)
    {
        // 1. Staged files: a tmp name still present means its write was in flight. If the catalog
        //    references the data file the commit happened and only the tmp name is left over;
        //    otherwise the data file was never committed and both names go.
        foreach (var tmp in Directory.EnumerateFiles(paths.Tmp))
        {
            var name = Path.GetFileName(tmp);
            if (StagedFile.IsFileId(name) && db.Scalar("SELECT 1 FROM objects WHERE data_file = $p0 LIMIT 1", name) is null)
            {
                DurableFiles.TryDelete(paths.ObjectFile(name));
            }

            DurableFiles.TryDelete(tmp);
        }

        // 2. Replaced or deleted objects whose data file deletion may not have happened.
        var pending = new List<string>();
        using (var reader = db.Command("SELECT data_file FROM pending_deletes").ExecuteReader())
        {
            while (reader.Read())
            {
                pending.Add(reader.GetString(0));
            }
        }

        foreach (var fileId in pending)
        {
            if (StagedFile.IsFileId(fileId))
            {
                DurableFiles.TryDelete(paths.ObjectFile(fileId));
            }

            _ = db.Execute("DELETE FROM pending_deletes WHERE data_file = $p0", fileId);
        }

        // 3. Upload directories: gone uploads lose their directory; live ones lose unreferenced parts.
        foreach (var directory in Directory.EnumerateDirectories(paths.Uploads))
        {
            var uploadId = Path.GetFileName(directory);
            if (db.Scalar("SELECT 1 FROM uploads WHERE upload_id = $p0", uploadId) is null)
            {
                DurableFiles.TryDeleteDirectory(directory);
                continue;
            }

            var live = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = db.Command("SELECT part_number, data_file FROM parts WHERE upload_id = $p0", uploadId).ExecuteReader())
            {
                while (reader.Read())
                {
                    _ = live.Add(DataPaths.PartFileName(reader.GetInt32(0), reader.GetString(1)));
                }
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                if (!live.Contains(Path.GetFileName(file)))
                {
                    DurableFiles.TryDelete(file);
                }
            }
        }
    }

    /// <summary>Makes <paramref name="row"/> the latest version of its key, as the bucket's versioning state says; returns it with its version id.</summary>
    /// <summary>Adds a version with its data; <paramref name="acl"/> (the write's ACL document) is stored in the same transaction.</summary>
    private ObjectInfo AddVersion(WriteContext w, ObjectInfo row, string fileId, string? acl)
    {
        var (status, _) = RequireBucketVersioning(w.Db, row.Bucket);
        var (versionId, _) = InsertVersion(w, status, row, fileId);
        if (acl is not null)
        {
            // InsertVersion just made the new row the key's only latest one.
            _ = w.Db.Execute("UPDATE objects SET acl = $p2 WHERE bucket = $p0 AND key = $p1 AND latest = 1", row.Bucket, row.Key, acl);
        }

        return row with { VersionId = versionId };
    }

    /// <summary>
    /// Inserts a version (or, with no data file, a delete marker) as the key's latest. Enabled:
    /// a new version id, every existing version stays. Otherwise the null version, wherever it
    /// is in the stack, is replaced (AWS: a suspended bucket keeps one null version per key).
    /// The previous latest becomes noncurrent at the new version's time.
    /// </summary>
    private (string VersionId, VersionRow? ReplacedNull) InsertVersion(WriteContext w, VersioningStatus status, ObjectInfo row, string? dataFile)
    {
        VersionRow? replaced = null;
        var versionId = ObjectVersion.NullId;
        if (status == VersioningStatus.Enabled)
        {
            versionId = NewVersionId();
        }
        else
        {
            replaced = SelectVersion(w.Db, row.Bucket, row.Key, ObjectVersion.NullId);
            if (replaced is not null)
            {
                _ = w.Db.Execute("DELETE FROM objects WHERE bucket = $p0 AND key = $p1 AND seq = $p2", row.Bucket, row.Key, replaced.Seq);
                if (replaced.DataFile is { } old)
                {
                    DeleteDataFileAfterCommit(w, old);
                }
            }
        }

        var modifiedMs = row.LastModified.ToUnixTimeMilliseconds();
        var top = w.Db.Scalar("SELECT seq FROM objects WHERE bucket = $p0 AND key = $p1 ORDER BY seq DESC LIMIT 1", row.Bucket, row.Key);
        long seq = 1;
        if (top is long topSeq)
        {
            seq = topSeq + 1;
            _ = w.Db.Execute(
                "UPDATE objects SET latest = 0, noncurrent_ms = coalesce(noncurrent_ms, $p3) WHERE bucket = $p0 AND key = $p1 AND seq = $p2",
                row.Bucket,
                row.Key,
                topSeq,
                modifiedMs);
        }

        _ = w.Db.Execute(
            "INSERT INTO objects(bucket, " + ObjectColumns + ") VALUES($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, 1, $p13, NULL, $p14)",
            row.Bucket,
            row.Key,
            row.Size,
            row.ETag,
            modifiedMs,
            CatalogJson.Headers(row.Headers),
            CatalogJson.Map(row.Tags),
            CatalogJson.Map(row.Checksums),
            row.StorageClass,
            row.OwnerCanonicalId,
            CatalogJson.Sizes(row.PartSizes),
            dataFile,
            versionId,
            dataFile is null ? 1 : 0,
            seq);
        return (versionId, replaced);
    }

    /// <summary>Removes one version or marker; when it was the latest, the newest remaining version becomes the latest again.</summary>
    private void RemoveVersion(WriteContext w, VersionRow row)
    {
        var bucket = row.Version.Bucket;
        var key = row.Version.Key;
        _ = w.Db.Execute("DELETE FROM objects WHERE bucket = $p0 AND key = $p1 AND seq = $p2", bucket, key, row.Seq);
        if (row.DataFile is { } dataFile)
        {
            DeleteDataFileAfterCommit(w, dataFile);
        }

        if (row.Version.IsLatest && w.Db.Scalar("SELECT seq FROM objects WHERE bucket = $p0 AND key = $p1 ORDER BY seq DESC LIMIT 1", bucket, key) is long top)
        {
            _ = w.Db.Execute("UPDATE objects SET latest = 1, noncurrent_ms = NULL WHERE bucket = $p0 AND key = $p1 AND seq = $p2", bucket, key, top);
        }
    }

    /// <summary>
    /// The pending_deletes row commits with the change that orphaned the file, so a crash after
    /// the commit but before the unlink is repaired on the next open.
    /// </summary>
    private void DeleteDataFileAfterCommit(WriteContext w, string fileId)
    {
        if (w.Db.Execute("DELETE FROM inline_data WHERE data_file = $p0", fileId) > 0)
        {
            // Inline bytes go with this transaction; there is no file and no cold copy (a
            // transition takes the bytes out of inline_data).
            return;
        }

        ForgetColdData(w, fileId);
        _ = w.Db.Execute("INSERT OR IGNORE INTO pending_deletes(data_file) VALUES($p0)", fileId);
        var path = _paths.ObjectFile(fileId);
        w.OnCommitted(() =>
        {
            DurableFiles.TryDelete(path);
            _catalog.DataFileDeleted(fileId);
        });
    }

    private void DeleteUploadRows(WriteContext w, string uploadId)
    {
        _ = w.Db.Execute("DELETE FROM parts WHERE upload_id = $p0", uploadId);
        _ = w.Db.Execute("DELETE FROM uploads WHERE upload_id = $p0", uploadId);

        // A crash before this leaves a directory without an upload row: swept on open.
        var directory = _paths.UploadDirectory(uploadId);
        w.OnCommitted(() => DurableFiles.TryDeleteDirectory(directory));
    }

    /// <summary>As <see cref="FindObject"/>, with the bytes when the object is stored inline (null when in a file).</summary>
    private (ObjectInfo Info, string DataFile, byte[]? Inline) FindObjectData(string bucket, string key, string? versionId)
    {
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        return _catalog.Read(db =>
        {
            var row = RequireObjectVersion(db, bucket, key, versionId);
            return (row.Version.Object!, row.DataFile!, db.Scalar(SelectInlineSql, row.DataFile) as byte[]);
        });
    }

    private (ObjectInfo Info, string DataFile) FindObject(string bucket, string key, string? versionId)
    {
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        return _catalog.Read(db =>
        {
            var row = RequireObjectVersion(db, bucket, key, versionId);
            return (row.Version.Object!, row.DataFile!);
        });
    }

    /// <summary>The latest or the given version, which must be an object: a delete marker is NoSuchKey (latest) or MethodNotAllowed (by id).</summary>
    private static VersionRow RequireObjectVersion(CatalogConnection db, string bucket, string key, string? versionId)
    {
        if (versionId is null)
        {
            var latest = SelectLatest(db, bucket, key);
            return latest is { Version.IsDeleteMarker: false } ? latest : throw NoSuchKey(db, bucket, key);
        }

        var row = SelectVersion(db, bucket, key, versionId) ?? throw NoSuchVersion(db, bucket, key, versionId);
        if (row.Version.IsDeleteMarker)
        {
            throw S3Exception.With(S3Errors.MethodNotAllowed, null, ("ResourceType", "DeleteMarker"));
        }

        return row;
    }

    private static VersionRow? SelectLatest(CatalogConnection db, string bucket, string key)
    {
        using var reader = db.Command("SELECT " + ObjectColumns + " FROM objects WHERE bucket = $p0 AND key = $p1 ORDER BY seq DESC LIMIT 1", bucket, key).ExecuteReader();
        return reader.Read() ? ReadVersion(bucket, reader) : null;
    }

    private static VersionRow? SelectVersion(CatalogConnection db, string bucket, string key, string versionId)
    {
        using var reader = db.Command("SELECT " + ObjectColumns + " FROM objects WHERE bucket = $p0 AND key = $p1 AND version_id = $p2", bucket, key, versionId).ExecuteReader();
        return reader.Read() ? ReadVersion(bucket, reader) : null;
    }

    /// <summary>
    /// Versions in listing order (key, then newest first) from the cursor. A cursor with a version
    /// id resumes inside that key, after that version; an unknown version resumes at the next key.
    /// </summary>
    private static IEnumerable<VersionRow> ScanVersions(CatalogConnection db, string bucket, ListCursor cursor, string? upper, int limit)
    {
        if (cursor.After is { } afterVersion && !cursor.Inclusive)
        {
            if (db.Scalar("SELECT seq FROM objects WHERE bucket = $p0 AND key = $p1 AND version_id = $p2", bucket, cursor.Key, afterVersion) is long afterSeq)
            {
                using var sameKey = db.Command(
                    "SELECT " + ObjectColumns + " FROM objects WHERE bucket = $p0 AND key = $p1 AND seq < $p2 ORDER BY seq DESC LIMIT $p3",
                    bucket,
                    cursor.Key,
                    afterSeq,
                    limit).ExecuteReader();
                while (sameKey.Read())
                {
                    limit--;
                    yield return ReadVersion(bucket, sameKey);
                }
            }
        }

        if (limit <= 0)
        {
            yield break;
        }

        var sql = "SELECT " + ObjectColumns + " FROM objects WHERE bucket = $p0 AND key " + (cursor.Inclusive ? ">=" : ">") + " $p1"
            + (upper is null ? string.Empty : " AND key < $p3") + " ORDER BY key, seq DESC LIMIT $p2";
        using var reader = upper is null
            ? db.Command(sql, bucket, cursor.Key, limit).ExecuteReader()
            : db.Command(sql, bucket, cursor.Key, limit, upper).ExecuteReader();
        while (reader.Read())
        {
            yield return ReadVersion(bucket, reader);
        }
    }

    /// <summary>Every version from the cursor below the upper bound, in listing order, streamed.</summary>
    private static IEnumerable<VersionRow> ScanAllVersions(CatalogConnection db, string bucket, ListCursor from, string? upper)
    {
        var sql = "SELECT " + ObjectColumns + " FROM objects WHERE bucket = $p0 AND key " + (from.Inclusive ? ">=" : ">") + " $p1"
            + (upper is null ? string.Empty : " AND key < $p2") + " ORDER BY key, seq DESC";
        using var reader = upper is null
            ? db.Command(sql, bucket, from.Key).ExecuteReader()
            : db.Command(sql, bucket, from.Key, upper).ExecuteReader();
        while (reader.Read())
        {
            yield return ReadVersion(bucket, reader);
        }
    }

    private static IEnumerable<ObjectInfo> ScanObjects(CatalogConnection db, string bucket, ListCursor cursor, string? upper, int limit, bool everVersioned)
    {
        using var reader = db.Command(CurrentObjectsSql(everVersioned, cursor.Inclusive, upper is not null), bucket, cursor.Key, limit, upper).ExecuteReader();
        while (reader.Read())
        {
            yield return ReadObject(bucket, reader);
        }
    }

    /// <summary>
    /// The ListObjects scan. A bucket that was never versioned holds only latest object rows, and
    /// the primary key serves it best (no second lookup). Once versioned, noncurrent versions and
    /// markers may outnumber the latest versions, so the scan is forced onto the partial index of
    /// latest objects; SQLite's planner would otherwise pick the primary key and read them all.
    /// </summary>
    internal static string CurrentObjectsSql(bool everVersioned, bool inclusive, bool bounded) =>
        "SELECT " + ObjectColumns + " FROM objects" + (everVersioned ? " INDEXED BY objects_current" : string.Empty)
        + " WHERE bucket = $p0 AND key " + (inclusive ? ">=" : ">") + " $p1"
        + (bounded ? " AND key < $p3" : string.Empty) + " AND latest = 1 AND marker = 0 ORDER BY key LIMIT $p2";

    private static IEnumerable<MultipartUpload> ScanUploads(CatalogConnection db, string bucket, ListCursor cursor, string? upper, int limit)
    {
        var from = cursor.After is not null
            ? "(key, upload_id) > ($p1, $p4)"
            : "key " + (cursor.Inclusive ? ">=" : ">") + " $p1";
        var sql = "SELECT key, upload_id, initiated_ms, write FROM uploads WHERE bucket = $p0 AND " + from
            + (upper is null ? string.Empty : " AND key < $p3") + " ORDER BY key, upload_id LIMIT $p2";
        using var reader = db.Command(sql, bucket, cursor.Key, limit, upper, cursor.After).ExecuteReader();
        while (reader.Read())
        {
            yield return new MultipartUpload(bucket, reader.GetString(0), reader.GetString(1), FromMs(reader.GetInt64(2)), CatalogJson.UploadWrite(reader.GetString(3)));
        }
    }

    private static List<(PartInfo Info, string DataFile)> SelectParts(CatalogConnection db, string uploadId, int afterPartNumber, int limit)
    {
        var parts = new List<(PartInfo, string)>();
        using var reader = db.Command(
            "SELECT " + PartColumns + " FROM parts WHERE upload_id = $p0 AND part_number > $p1 ORDER BY part_number LIMIT $p2",
            uploadId,
            afterPartNumber,
            limit).ExecuteReader();
        while (reader.Read())
        {
            parts.Add((
                new PartInfo(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), FromMs(reader.GetInt64(3)), CatalogJson.Map(reader.GetString(4))),
                reader.GetString(5)));
        }

        return parts;
    }

    private static MultipartUpload RequireUpload(CatalogConnection db, string bucket, string key, string uploadId)
    {
        if (IsUploadId(uploadId))
        {
            using var reader = db.Command("SELECT initiated_ms, write FROM uploads WHERE upload_id = $p0 AND bucket = $p1 AND key = $p2", uploadId, bucket, key).ExecuteReader();
            if (reader.Read())
            {
                return new MultipartUpload(bucket, key, uploadId, FromMs(reader.GetInt64(0)), CatalogJson.UploadWrite(reader.GetString(1)));
            }
        }

        RequireBucket(db, bucket);
        throw NoSuchUpload(uploadId);
    }

    private static (VersioningStatus Status, string OwnerCanonicalId) RequireBucketVersioning(CatalogConnection db, string bucket)
    {
        using var reader = db.Command("SELECT versioning, owner_canonical FROM buckets WHERE name = $p0", bucket).ExecuteReader();
        if (!reader.Read())
        {
            throw S3Exception.With(S3Errors.NoSuchBucket, null, ("BucketName", bucket));
        }

        return (ParseVersioning(reader.IsDBNull(0) ? null : reader.GetString(0)), reader.GetString(1));
    }

    private static VersioningStatus ParseVersioning(string? stored) => stored switch
    {
        null => VersioningStatus.Unversioned,
        "Enabled" => VersioningStatus.Enabled,
        "Suspended" => VersioningStatus.Suspended,
        _ => throw new InvalidDataException("Unknown versioning state in the catalog: " + stored),
    };

    private static void RequireBucket(CatalogConnection db, string bucket)
    {
        if (db.Scalar("SELECT 1 FROM buckets WHERE name = $p0", bucket) is null)
        {
            throw S3Exception.With(S3Errors.NoSuchBucket, null, ("BucketName", bucket));
        }
    }

    private static S3Exception NoSuchKey(CatalogConnection db, string bucket, string key)
    {
        RequireBucket(db, bucket);
        return S3Exception.With(S3Errors.NoSuchKey, null, ("Key", key));
    }

    private static S3Exception NoSuchVersion(CatalogConnection db, string bucket, string key, string versionId)
    {
        RequireBucket(db, bucket);
        return S3Exception.With(S3Errors.NoSuchVersion, null, ("Key", key), ("VersionId", versionId));
    }

    /// <summary>"null" or an id this store generated; anything else is AWS's "Invalid version id specified".</summary>
    private static void RequireWellFormedVersionId(string versionId, string argumentName = "versionId")
    {
        if (versionId != ObjectVersion.NullId && !(versionId.Length == VersionIdLength && versionId.AsSpan().IndexOfAnyExcept(UploadIdChars) < 0))
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Invalid version id specified", ("ArgumentName", argumentName), ("ArgumentValue", versionId));
        }
    }

    private static string NewVersionId()
    {
        Span<byte> random = stackalloc byte[VersionIdLength / 4 * 3];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    private static S3Exception NoSuchUpload(string uploadId) => S3Exception.With(S3Errors.NoSuchUpload, null, ("UploadId", uploadId));

    private static ObjectInfo ReadObject(string bucket, SqliteDataReader r) => new(
        bucket,
        r.GetString(0),
        r.GetInt64(1),
        r.GetString(2),
        FromMs(r.GetInt64(3)),
        CatalogJson.Headers(r.GetString(4)),
        CatalogJson.Map(r.GetString(5)),
        CatalogJson.Map(r.GetString(6)),
        r.GetString(7),
        r.GetString(8),
        CatalogJson.Sizes(r.IsDBNull(9) ? null : r.GetString(9)))
    {
        VersionId = r.GetString(11),
    };

    private static VersionRow ReadVersion(string bucket, SqliteDataReader r)
    {
        var marker = r.GetInt64(13) != 0;
        var version = new ObjectVersion(
            bucket,
            r.GetString(0),
            r.GetString(11),
            IsLatest: r.GetInt64(12) != 0,
            IsDeleteMarker: marker,
            FromMs(r.GetInt64(3)),
            r.IsDBNull(14) ? null : FromMs(r.GetInt64(14)),
            r.GetString(8),
            marker ? null : ReadObject(bucket, r));
        return new VersionRow(version, r.IsDBNull(10) ? null : r.GetString(10), r.GetInt64(15));
    }

    private static BucketInfo ReadBucket(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), FromMs(r.GetInt64(4)))
        {
            Versioning = ParseVersioning(r.IsDBNull(5) ? null : r.GetString(5)),
        };

    /// <summary>
    /// Upload ids sort by initiation time (12 hex digits of Unix milliseconds) and are
    /// unguessable (18 random bytes, base64url), so listing uploads of one key in upload-id order
    /// is initiation order as AWS lists them. Only ids of exactly this shape are ever used in a path.
    /// </summary>
    private static string NewUploadId(DateTimeOffset initiated)
    {
        Span<byte> random = stackalloc byte[18];
        RandomNumberGenerator.Fill(random);
        return initiated.ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture) + Base64Url.EncodeToString(random);
    }

    private static bool IsUploadId(string? uploadId) =>
        uploadId is { Length: UploadIdLength } && uploadId.AsSpan().IndexOfAnyExcept(UploadIdChars) < 0;

    private static bool SameETag(string stored, string? requested) =>
        requested is not null && string.Equals(stored.Trim('"'), requested.Trim().Trim('"'), StringComparison.OrdinalIgnoreCase);

    private static string Quote(string value) => "\"" + value + "\"";

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private DateTimeOffset Now() => FromMs(_time.GetUtcNow().ToUnixTimeMilliseconds());
}

/// <summary>A catalog row: the version, its data file (null for a delete marker) and its place in the key's stack.</summary>
internal sealed record VersionRow(ObjectVersion Version, string? DataFile, long Seq);
