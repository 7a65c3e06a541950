using Tally.Core.Errors;
using Tally.Storage.Model;

namespace Tally.Storage.Disk;

/// <summary>
/// Lifecycle's part of the store (<see cref="ILifecycleStore"/>): conditional actions, the cold
/// tier and restores. Cold data is found by data file id (<c>cold_data</c>), so an object
/// version keeps its row and id when its bytes move; a GET that finds no hot file looks here.
/// </summary>
public sealed partial class DiskObjectStore : ILifecycleStore
{
    private const string LifecycleColumns = "key, size, etag, modified_ms, tags, storage_class, owner, version_id, latest, marker, noncurrent_ms";

    // Set by Open before the store is handed out.
    private ColdTier _cold = null!;

    /// <summary>Where the cold tier keeps its files (<c>--cold-dir</c>, default &lt;data&gt;/cold).</summary>
    public string ColdDirectory => _cold.Root;

    public Task<KeyVersionsPage> ListLifecycleCandidatesAsync(string bucket, string? prefix, string? afterKey, int maxKeys, LifecycleCandidates candidates, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ct.ThrowIfCancellationRequested();
        var from = DelimitedListing.Start(prefix ?? string.Empty, string.IsNullOrEmpty(afterKey) ? null : afterKey);
        var upper = string.IsNullOrEmpty(prefix) ? null : Utf8KeyOrder.PrefixEnd(prefix);
        var max = Math.Max(maxKeys, 1);
        var modified = Bound(candidates.ModifiedAtOrBefore);
        var noncurrent = Bound(candidates.NoncurrentAtOrBefore);
        return Task.FromResult(_catalog.Read(db =>
        {
            RequireBucket(db, bucket);

            // One pass over the key range in primary-key order: a row that cannot be due is
            // skipped without being decoded, so a run with nothing due reads each row once.
            var sql = "SELECT DISTINCT key FROM objects WHERE bucket = $p0 AND key " + (from.Inclusive ? ">=" : ">") + " $p1"
                + (upper is null ? string.Empty : " AND key < $p6")
                + " AND (modified_ms <= $p2 OR (latest = 0 AND coalesce(noncurrent_ms, modified_ms) <= $p3) OR (marker = 1 AND $p4 = 1))"
                + " ORDER BY key LIMIT $p5";
            var keys = new List<string>(Math.Min(max, 1024));
            using (var reader = db.Command(sql, bucket, from.Key, modified, noncurrent, candidates.AnyDeleteMarker ? 1 : 0, max, upper).ExecuteReader())
            {
                while (reader.Read())
                {
                    keys.Add(reader.GetString(0));
                }
            }

            // The stacks of those keys in one ordered pass over their range; keys in between that
            // are not candidates are stepped over undecoded.
            var stacks = new List<KeyVersions>(keys.Count);
            if (keys.Count > 0)
            {
                var members = new HashSet<string>(keys, StringComparer.Ordinal);
                var versions = new List<ObjectVersion>();
                using var reader = db.Command(
                    "SELECT " + LifecycleColumns + " FROM objects WHERE bucket = $p0 AND key >= $p1 AND key <= $p2 ORDER BY key, seq DESC",
                    bucket,
                    keys[0],
                    keys[^1]).ExecuteReader();
                while (reader.Read())
                {
                    var key = reader.GetString(0);
                    if (!members.Contains(key))
                    {
                        continue;
                    }

                    if (versions.Count > 0 && !string.Equals(versions[0].Key, key, StringComparison.Ordinal))
                    {
                        stacks.Add(new KeyVersions(versions[0].Key, versions));
                        versions = [];
                    }

                    versions.Add(ReadLifecycleVersion(bucket, reader));
                }

                if (versions.Count > 0)
                {
                    stacks.Add(new KeyVersions(versions[0].Key, versions));
                }
            }

            return new KeyVersionsPage(stacks, keys.Count == max ? keys[^1] : null);
        }));

        static long Bound(DateTimeOffset? at) => at is not { } t ? long.MinValue : t == DateTimeOffset.MaxValue ? long.MaxValue : t.ToUnixTimeMilliseconds();
    }

    public Task<ObjectDeletion?> ExpireCurrentVersionAsync(ObjectVersion expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ct.ThrowIfCancellationRequested();
        return _catalog.WriteAsync<ObjectDeletion?>(w =>
        {
            var (status, bucketOwner) = RequireBucketVersioning(w.Db, expected.Bucket);
            var latest = SelectLatest(w.Db, expected.Bucket, expected.Key);
            if (latest is null || latest.Version.IsDeleteMarker || !Unchanged(latest.Version, expected))
            {
                return null;
            }

            if (status == VersioningStatus.Unversioned)
            {
                RemoveVersion(w, latest);
                return new ObjectDeletion(null, DeleteMarker: false, latest.Version.Object);
            }

            // spec §6.3: Enabled adds a delete marker; Suspended replaces the null version with a null marker.
            var marker = new ObjectInfo(expected.Bucket, expected.Key, 0, string.Empty, Now(), ObjectHeaders.Empty, NoEntries, NoEntries, StorageClasses.Standard, bucketOwner, null);
            var (markerId, replaced) = InsertVersion(w, status, marker, dataFile: null);
            return new ObjectDeletion(markerId, DeleteMarker: true, replaced?.Version.Object) { MarkerCreated = true };
        });
    }

    public Task<ObjectDeletion?> ExpireVersionAsync(ObjectVersion expected, bool onlyIfSoleVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ct.ThrowIfCancellationRequested();
        return _catalog.WriteAsync<ObjectDeletion?>(w =>
        {
            RequireBucket(w.Db, expected.Bucket);
            var row = SelectVersion(w.Db, expected.Bucket, expected.Key, expected.VersionId);
            if (row is null || !Unchanged(row.Version, expected))
            {
                return null;
            }

            if (onlyIfSoleVersion && w.Db.Scalar("SELECT 1 FROM objects WHERE bucket = $p0 AND key = $p1 AND seq <> $p2 LIMIT 1", expected.Bucket, expected.Key, row.Seq) is not null)
            {
                return null;
            }

            RemoveVersion(w, row);
            return new ObjectDeletion(row.Version.VersionId, row.Version.IsDeleteMarker, row.Version.Object);
        });
    }

    public async Task<ObjectInfo?> TransitionVersionAsync(ObjectVersion expected, string storageClass, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrEmpty(storageClass);
        ct.ThrowIfCancellationRequested();
        var (row, alreadyCold, inline) = _catalog.Read(db =>
        {
            RequireBucket(db, expected.Bucket);
            var found = SelectVersion(db, expected.Bucket, expected.Key, expected.VersionId);
            return found is { DataFile: { } file } && Unchanged(found.Version, expected)
                ? (found, db.Scalar("SELECT 1 FROM cold_data WHERE data_file = $p0", file) is not null, db.Scalar(SelectInlineSql, file) as byte[])
                : (null, false, null);
        });
        if (row is null)
        {
            return null;
        }

        var fileId = row.DataFile!;
        string? coldPath = null;
        long storedSize = 0;
        if (!alreadyCold)
        {
            try
            {
                // Compression is CPU work of one background scan at a time: the pool, not the fsync threads.
                (storedSize, coldPath) = await Task.Run(
                    () =>
                    {
                        // Inline bytes (DiskObjectStore.InlineThreshold) move to a cold file like any other.
                        var size = _cold.Compress(_paths.ObjectFile(fileId), fileId, inline);
                        return (size, _cold.Publish(fileId));
                    },
                    ct).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                // Removed (or moved) since the read: nothing to transition.
                _cold.DropTmpName(fileId);
                return null;
            }
        }

        ObjectInfo? moved;
        try
        {
            moved = await _catalog.WriteAsync<ObjectInfo?>(w =>
            {
                var current = SelectVersion(w.Db, expected.Bucket, expected.Key, expected.VersionId);
                if (current is null || !Unchanged(current.Version, expected) || !string.Equals(current.DataFile, fileId, StringComparison.Ordinal))
                {
                    return null;
                }

                if (coldPath is not null)
                {
                    _ = w.Db.Execute("INSERT OR REPLACE INTO cold_data(data_file, path, stored_size) VALUES($p0, $p1, $p2)", fileId, coldPath, storedSize);
                    if (w.Db.Execute("DELETE FROM inline_data WHERE data_file = $p0", fileId) == 0)
                    {
                        // The hot copy goes once the move is durable; pending_deletes repairs a crash in between.
                        _ = w.Db.Execute("INSERT OR IGNORE INTO pending_deletes(data_file) VALUES($p0)", fileId);
                        var hot = _paths.ObjectFile(fileId);
                        w.OnCommitted(() =>
                        {
                            DurableFiles.TryDelete(hot);
                            _catalog.DataFileDeleted(fileId);
                        });
                    }
                }

                _ = w.Db.Execute("UPDATE objects SET storage_class = $p3 WHERE bucket = $p0 AND key = $p1 AND seq = $p2", expected.Bucket, expected.Key, current.Seq, storageClass);
                return current.Version.Object! with { StorageClass = storageClass };
            }).ConfigureAwait(false);
        }
        catch
        {
            DiscardColdCopy(coldPath, fileId);
            throw;
        }

        if (moved is null)
        {
            DiscardColdCopy(coldPath, fileId);
        }
        else if (coldPath is not null)
        {
            _cold.DropTmpName(fileId);
        }

        return moved;
    }

    /// <summary><see cref="RestoreObjectAsync(string, string, string?, Func{string, RestoreRequest}, CancellationToken)"/> with a restore planned already.</summary>
    public Task<RestoreOutcome> RestoreObjectAsync(string bucket, string key, string? versionId, RestoreRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestoreObjectAsync(bucket, key, versionId, _ => request, ct);
    }

    public Task<RestoreOutcome> RestoreObjectAsync(string bucket, string key, string? versionId, Func<string, RestoreRequest> plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ct.ThrowIfCancellationRequested();
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        return _catalog.WriteAsync(w =>
        {
            var row = RequireObjectVersion(w.Db, bucket, key, versionId);
            if (!StorageClasses.IsArchived(row.Version.StorageClass) || row.DataFile is not { } fileId)
            {
                throw new S3Exception(S3Errors.ObjectAlreadyInActiveTierError);
            }

            var request = plan(row.Version.StorageClass);
            var now = Now().ToUnixTimeMilliseconds();
            var existing = SelectRestore(w.Db, fileId);
            if (existing is { } restore && restore.Status.ExpiresAt.ToUnixTimeMilliseconds() > now)
            {
                if (restore.Status.ReadyAt.ToUnixTimeMilliseconds() > now)
                {
                    // AWS's restore speed upgrade: the same request with a faster tier takes over
                    // the restore in progress; a slower, equal or otherwise different one does not.
                    if (request.Days != restore.Status.Days || !RestoreTiers.IsFaster(request.Tier, restore.Status.Tier) || request.ReadyAt >= restore.Status.ReadyAt)
                    {
                        return RestoreOutcome.AlreadyInProgress;
                    }

                    _ = w.Db.Execute(
                        "UPDATE restores SET ready_ms = $p1, expiry_ms = $p2, tier = $p3 WHERE data_file = $p0",
                        fileId,
                        request.ReadyAt.ToUnixTimeMilliseconds(),
                        request.ExpiresAt.ToUnixTimeMilliseconds(),
                        request.Tier);
                    return RestoreOutcome.Upgraded;
                }

                _ = w.Db.Execute(
                    "UPDATE restores SET expiry_ms = $p1, days = $p2 WHERE data_file = $p0",
                    fileId,
                    request.ExpiresAtIfReadyNow.ToUnixTimeMilliseconds(),
                    request.Days);
                return RestoreOutcome.Extended;
            }

            if (existing?.CopyPath is { } staleCopy)
            {
                DeleteColdPathAfterCommit(w, staleCopy);
            }

            _ = w.Db.Execute(
                "INSERT OR REPLACE INTO restores(data_file, requested_ms, ready_ms, expiry_ms, days, tier, copy_path) VALUES($p0, $p1, $p2, $p3, $p4, $p5, NULL)",
                fileId,
                now,
                request.ReadyAt.ToUnixTimeMilliseconds(),
                request.ExpiresAt.ToUnixTimeMilliseconds(),
                request.Days,
                request.Tier);
            return RestoreOutcome.Started;
        });
    }

    public Task<RestoreStatus?> GetRestoreStatusAsync(string bucket, string key, string? versionId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (versionId is not null)
        {
            RequireWellFormedVersionId(versionId);
        }

        var now = Now();
        return Task.FromResult(_catalog.Read(db =>
        {
            var row = RequireObjectVersion(db, bucket, key, versionId);
            return row.DataFile is { } fileId && SelectRestore(db, fileId) is { } restore && restore.Status.ExpiresAt > now ? restore.Status : null;
        }));
    }

    public async Task<ColdTierUpkeep> MaintainColdTierAsync(CancellationToken ct)
    {
        var now = Now().ToUnixTimeMilliseconds();
        var (ready, expired, deletes) = _catalog.Read(db =>
        {
            var toCopy = new List<(string FileId, string ColdPath)>();
            using (var reader = db.Command(
                "SELECT r.data_file, c.path FROM restores r JOIN cold_data c ON c.data_file = r.data_file WHERE r.copy_path IS NULL AND r.ready_ms <= $p0 AND r.expiry_ms > $p0",
                now).ExecuteReader())
            {
                while (reader.Read())
                {
                    toCopy.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            var toExpire = new List<string>();
            using (var reader = db.Command("SELECT data_file FROM restores WHERE expiry_ms <= $p0", now).ExecuteReader())
            {
                while (reader.Read())
                {
                    toExpire.Add(reader.GetString(0));
                }
            }

            var paths = new List<string>();
            using (var reader = db.Command("SELECT path FROM cold_deletes").ExecuteReader())
            {
                while (reader.Read())
                {
                    paths.Add(reader.GetString(0));
                }
            }

            return (toCopy, toExpire, paths);
        });

        var restored = 0;
        foreach (var (fileId, coldPath) in ready)
        {
            ct.ThrowIfCancellationRequested();
            string copy;
            try
            {
                copy = await Task.Run(() => _cold.Restore(coldPath, fileId), ct).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            var kept = await _catalog.WriteAsync(w =>
                w.Db.Execute("UPDATE restores SET copy_path = $p1 WHERE data_file = $p0 AND copy_path IS NULL", fileId, copy) == 1).ConfigureAwait(false);
            if (kept)
            {
                restored++;
            }
            else
            {
                DurableFiles.TryDelete(copy);
            }
        }

        var expiredCount = expired.Count == 0 ? 0 : await _catalog.WriteAsync(w =>
        {
            var count = 0;
            foreach (var fileId in expired)
            {
                var row = SelectRestore(w.Db, fileId);
                if (row is null || row.Value.Status.ExpiresAt.ToUnixTimeMilliseconds() > now)
                {
                    continue;
                }

                _ = w.Db.Execute("DELETE FROM restores WHERE data_file = $p0", fileId);
                if (row.Value.CopyPath is { } copy)
                {
                    DeleteColdPathAfterCommit(w, copy);
                }

                count++;
            }

            return count;
        }).ConfigureAwait(false);

        foreach (var path in deletes)
        {
            DurableFiles.TryDelete(path);
        }

        if (deletes.Count > 0)
        {
            _ = await _catalog.WriteAsync(w =>
            {
                foreach (var path in deletes)
                {
                    _ = w.Db.Execute("DELETE FROM cold_deletes WHERE path = $p0", path);
                }

                return true;
            }).ConfigureAwait(false);
        }

        return new ColdTierUpkeep(restored, expiredCount, deletes.Count);
    }

    public Task<(long Files, long Bytes)> GetColdTierUsageAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_catalog.Read(db =>
        {
            using var reader = db.Command("SELECT count(*), coalesce(sum(stored_size), 0) FROM cold_data").ExecuteReader();
            _ = reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }));
    }

    /// <summary>
    /// GET of a version whose hot file is missing: its cold copy, decompressed as it is read, or
    /// for a restored archived version the restored copy once it has been written (the caller
    /// checked the restore). Null when the data is not cold (the version was removed meanwhile;
    /// the caller reads the row again).
    /// </summary>
    private ObjectRead? OpenCold(ObjectInfo info, string fileId)
    {
        var (coldPath, restore) = _catalog.Read(db =>
            ((string?)db.Scalar("SELECT path FROM cold_data WHERE data_file = $p0", fileId), SelectRestore(db, fileId)));
        if (coldPath is null)
        {
            return null;
        }

        if (StorageClasses.IsArchived(info.StorageClass) && restore is { } r)
        {
            // Restored (checked by RequireRestoredIfArchived before the hot file was looked for).
            if (r.CopyPath is { } copy)
            {
                try
                {
                    return new ObjectRead(info, new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, FileOptions.SequentialScan));
                }
                catch (FileNotFoundException)
                {
                    // Expired and removed between the read and the open: the cold copy still serves.
                }
            }
        }

        try
        {
            return new ObjectRead(info, new ColdReadStream(coldPath, info.Size));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// spec §6.6: an archived version (GLACIER, DEEP_ARCHIVE — by transition or written so) is
    /// readable only while a restore is done and not expired; otherwise 403 InvalidObjectState.
    /// </summary>
    private void RequireRestoredIfArchived(ObjectInfo info, string fileId)
    {
        if (!StorageClasses.IsArchived(info.StorageClass))
        {
            return;
        }

        var restore = _catalog.Read(db => SelectRestore(db, fileId));
        var now = Now();
        if (restore is not { } r || r.Status.IsOngoing(now) || r.Status.ExpiresAt <= now)
        {
            throw S3Exception.With(S3Errors.InvalidObjectState, null, ("StorageClass", info.StorageClass));
        }
    }

    /// <summary>Called whenever a data file is orphaned: its cold copy and restored copy go with it.</summary>
    private static void ForgetColdData(WriteContext w, string fileId)
    {
        var coldPath = (string?)w.Db.Scalar("SELECT path FROM cold_data WHERE data_file = $p0", fileId);
        if (coldPath is null)
        {
            return;
        }

        var copyPath = SelectRestore(w.Db, fileId)?.CopyPath;
        _ = w.Db.Execute("DELETE FROM cold_data WHERE data_file = $p0", fileId);
        _ = w.Db.Execute("DELETE FROM restores WHERE data_file = $p0", fileId);
        DeleteColdPathAfterCommit(w, coldPath);
        if (copyPath is not null)
        {
            DeleteColdPathAfterCommit(w, copyPath);
        }
    }

    /// <summary>The cold_deletes row commits with the change, so a crash before the unlink is repaired on open.</summary>
    private static void DeleteColdPathAfterCommit(WriteContext w, string path)
    {
        _ = w.Db.Execute("INSERT OR IGNORE INTO cold_deletes(path) VALUES($p0)", path);
        w.OnCommitted(() => DurableFiles.TryDelete(path));
    }

    private void DiscardColdCopy(string? coldPath, string fileId)
    {
        if (coldPath is not null)
        {
            DurableFiles.TryDelete(coldPath);
        }

        _cold.DropTmpName(fileId);
    }

    private static (RestoreStatus Status, string? CopyPath)? SelectRestore(CatalogConnection db, string fileId)
    {
        using var reader = db.Command("SELECT requested_ms, ready_ms, expiry_ms, days, tier, copy_path FROM restores WHERE data_file = $p0", fileId).ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var status = new RestoreStatus(FromMs(reader.GetInt64(0)), FromMs(reader.GetInt64(1)), FromMs(reader.GetInt64(2)), reader.GetInt32(3), reader.GetString(4));
        return (status, reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    /// <summary>
    /// A version as lifecycle reads it: what rules match on and actions check (size, ETag, tags,
    /// class, times); headers, checksums and part sizes are left undecoded (empty).
    /// </summary>
    private static ObjectVersion ReadLifecycleVersion(string bucket, Microsoft.Data.Sqlite.SqliteDataReader r)
    {
        var marker = r.GetInt64(9) != 0;
        var modified = FromMs(r.GetInt64(3));
        var versionId = r.GetString(7);
        var info = marker
            ? null
            : new ObjectInfo(bucket, r.GetString(0), r.GetInt64(1), r.GetString(2), modified, ObjectHeaders.Empty, CatalogJson.Map(r.GetString(4)), NoEntries, r.GetString(5), r.GetString(6), null)
            {
                VersionId = versionId,
            };
        return new ObjectVersion(bucket, r.GetString(0), versionId, r.GetInt64(8) != 0, marker, modified, r.IsDBNull(10) ? null : FromMs(r.GetInt64(10)), r.GetString(6), info);
    }

    /// <summary>The version a scan evaluated is still the one stored (same id, time, marker-ness and ETag).</summary>
    private static bool Unchanged(ObjectVersion stored, ObjectVersion expected) =>
        string.Equals(stored.VersionId, expected.VersionId, StringComparison.Ordinal)
        && stored.LastModified == expected.LastModified
        && stored.IsDeleteMarker == expected.IsDeleteMarker
        && string.Equals(stored.Object?.ETag, expected.Object?.ETag, StringComparison.Ordinal);
}
