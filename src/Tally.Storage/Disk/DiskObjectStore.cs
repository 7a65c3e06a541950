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
public sealed class DiskObjectStore : IObjectStore, IBucketSettingsStore, IDisposable, IAsyncDisposable
{
    /// <summary>AWS minimum size of every part but the last (CompleteMultipartUpload, EntityTooSmall).</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>AWS part numbers are 1..10000.</summary>
    public const int MaxPartNumber = 10_000;

    internal const string ObjectColumns = "key, size, etag, modified_ms, headers, tags, checksums, storage_class, owner, part_sizes, data_file";
    internal const string PartColumns = "part_number, etag, size, modified_ms, checksums, data_file";
    internal const int UploadIdLength = 12 + 24;

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
    /// pending_deletes are deleted, and part files of unknown uploads are swept.
    /// </summary>
    public static DiskObjectStore Open(string dataDirectory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        var paths = new DataPaths(dataDirectory);
        paths.Create();
        var catalog = new SqliteCatalog(paths.Catalog);
        try
        {
            catalog.RunExclusive(db => Recover(paths, db));
            catalog.Start();
        }
        catch
        {
            catalog.Dispose();
            throw;
        }

        return new DiskObjectStore(paths, time, catalog);
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
            using var reader = db.Command("SELECT name, owner_account, owner_canonical, region, created_ms FROM buckets WHERE name = $p0", bucket).ExecuteReader();
            return reader.Read() ? ReadBucket(reader) : null;
        }));
    }

    public Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<BucketInfo>>(_catalog.Read(db =>
        {
            var buckets = new List<BucketInfo>();
            using var reader = db.Command("SELECT name, owner_account, owner_canonical, region, created_ms FROM buckets ORDER BY name").ExecuteReader();
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

        var staged = await StagedFile.ReceiveAsync(_paths, body, ct).ConfigureAwait(false);
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
            info = await _catalog.WriteAsync(w =>
            {
                RequireBucket(w.Db, bucket);
                ReplaceObject(w, row, staged.FileId);
                return row;
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

    public Task<ObjectRead> GetObjectAsync(string bucket, string key, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();

        // A concurrent overwrite may delete the file between reading the row and opening it; the
        // row read again then names the new file. Bounded: each retry needs a newer commit.
        for (var attempt = 0; ; attempt++)
        {
            var (info, dataFile) = FindObject(bucket, key);
            try
            {
                var content = new FileStream(_paths.ObjectFile(dataFile), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, FileOptions.SequentialScan);
                return Task.FromResult(new ObjectRead(info, content));
            }
            catch (FileNotFoundException) when (attempt < 8)
            {
            }
        }
    }

    public Task<ObjectInfo> HeadObjectAsync(string bucket, string key, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(FindObject(bucket, key).Info);
    }

    public Task<ObjectInfo?> DeleteObjectAsync(string bucket, string key, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return _catalog.WriteAsync<ObjectInfo?>(w =>
        {
            var existing = SelectObject(w.Db, bucket, key);
            if (existing is null)
            {
                RequireBucket(w.Db, bucket);
                return null;
            }

            _ = w.Db.Execute("DELETE FROM objects WHERE bucket = $p0 AND key = $p1", bucket, key);
            DeleteDataFileAfterCommit(w, existing.Value.DataFile);
            return existing.Value.Info;
        });
    }

    public Task<ListObjectsPage> ListObjectsAsync(string bucket, ListObjectsQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ct.ThrowIfCancellationRequested();
        var prefix = query.Prefix ?? string.Empty;
        return Task.FromResult(_catalog.Read(db =>
        {
            RequireBucket(db, bucket);
            var entries = DelimitedListing.Walk(
                prefix,
                query.Delimiter,
                query.StartAfter,
                DelimitedListing.Start(prefix, query.StartAfter),
                query.MaxKeys,
                (cursor, upper, limit) => ScanObjects(db, bucket, cursor, upper, limit),
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

    public Task<ObjectInfo> PutObjectTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ct.ThrowIfCancellationRequested();
        return _catalog.WriteAsync(w =>
        {
            var existing = SelectObject(w.Db, bucket, key) ?? throw NoSuchKey(w.Db, bucket, key);
            _ = w.Db.Execute("UPDATE objects SET tags = $p2 WHERE bucket = $p0 AND key = $p1", bucket, key, CatalogJson.Map(tags));
            return existing.Info with { Tags = tags };
        });
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
        var stored = new ObjectWrite(write.Headers, write.OwnerCanonicalId, write.Tags, write.StorageClass);
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

        var staged = await StagedFile.ReceiveAsync(_paths, body, ct).ConfigureAwait(false);
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

                ReplaceObject(w, row, staged.FileId);
                DeleteUploadRows(w, uploadId);
                return row;
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

    private void ReplaceObject(WriteContext w, ObjectInfo row, string fileId)
    {
        var previous = (string?)w.Db.Scalar("SELECT data_file FROM objects WHERE bucket = $p0 AND key = $p1", row.Bucket, row.Key);
        _ = w.Db.Execute(
            "INSERT OR REPLACE INTO objects(" + ObjectColumns + ", bucket) VALUES($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11)",
            row.Key,
            row.Size,
            row.ETag,
            row.LastModified.ToUnixTimeMilliseconds(),
            CatalogJson.Headers(row.Headers),
            CatalogJson.Map(row.Tags),
            CatalogJson.Map(row.Checksums),
            row.StorageClass,
            row.OwnerCanonicalId,
            CatalogJson.Sizes(row.PartSizes),
            fileId,
            row.Bucket);
        if (previous is not null)
        {
            DeleteDataFileAfterCommit(w, previous);
        }
    }

    /// <summary>
    /// The pending_deletes row commits with the change that orphaned the file, so a crash after
    /// the commit but before the unlink is repaired on the next open.
    /// </summary>
    private void DeleteDataFileAfterCommit(WriteContext w, string fileId)
    {
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

    private (ObjectInfo Info, string DataFile) FindObject(string bucket, string key) =>
        _catalog.Read(db => SelectObject(db, bucket, key) ?? throw NoSuchKey(db, bucket, key));

    private static (ObjectInfo Info, string DataFile)? SelectObject(CatalogConnection db, string bucket, string key)
    {
        using var reader = db.Command("SELECT " + ObjectColumns + " FROM objects WHERE bucket = $p0 AND key = $p1", bucket, key).ExecuteReader();
        return reader.Read() ? (ReadObject(bucket, reader), reader.GetString(10)) : null;
    }

    private static IEnumerable<ObjectInfo> ScanObjects(CatalogConnection db, string bucket, ListCursor cursor, string? upper, int limit)
    {
        var sql = "SELECT " + ObjectColumns + " FROM objects WHERE bucket = $p0 AND key " + (cursor.Inclusive ? ">=" : ">") + " $p1"
            + (upper is null ? string.Empty : " AND key < $p3") + " ORDER BY key LIMIT $p2";
        using var reader = upper is null
            ? db.Command(sql, bucket, cursor.Key, limit).ExecuteReader()
            : db.Command(sql, bucket, cursor.Key, limit, upper).ExecuteReader();
        while (reader.Read())
        {
            yield return ReadObject(bucket, reader);
        }
    }

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
        CatalogJson.Sizes(r.IsDBNull(9) ? null : r.GetString(9)));

    private static BucketInfo ReadBucket(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), FromMs(r.GetInt64(4)));

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
