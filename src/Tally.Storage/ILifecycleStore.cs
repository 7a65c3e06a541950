using Tally.Storage.Model;

namespace Tally.Storage;

/// <summary>
/// What lifecycle needs of storage beyond <see cref="IObjectStore"/>: actions that apply only to
/// the version a scan evaluated (so a version written or changed meanwhile is never acted on,
/// and running the same action twice changes nothing the second time), the cold tier and
/// restores. Every method returns null (or false) rather than throwing when the version is gone
/// or changed; a missing bucket throws NoSuchBucket.
/// </summary>
public interface ILifecycleStore
{
    /// <summary>
    /// Like <see cref="IObjectStore.ListKeyVersionsAsync"/> (whole version stacks, key order, resume
    /// with NextKeyMarker) but only keys that <paramref name="candidates"/> selects, the filter
    /// evaluated in the catalog so that keys with nothing due cost a row read, not a version stack.
    /// The versions carry what lifecycle uses (size, ETag, tags, class, owner, times); their
    /// headers, checksums and part sizes are not read.
    /// </summary>
    Task<KeyVersionsPage> ListLifecycleCandidatesAsync(string bucket, string? prefix, string? afterKey, int maxKeys, LifecycleCandidates candidates, CancellationToken ct);

    /// <summary>
    /// Expiration of the current version (spec §6.3): while <paramref name="expected"/> is still the
    /// key's latest version, unchanged, removes it (bucket never versioned) or adds a delete marker
    /// (Enabled; a null marker when Suspended). Null when it is no longer the latest.
    /// </summary>
    Task<ObjectDeletion?> ExpireCurrentVersionAsync(ObjectVersion expected, CancellationToken ct);

    /// <summary>
    /// Permanently removes one version or delete marker while it is unchanged; with
    /// <paramref name="onlyIfSoleVersion"/> only while it is the key's only version (an expired
    /// object delete marker). Null when it changed, is gone, or is no longer alone.
    /// </summary>
    Task<ObjectDeletion?> ExpireVersionAsync(ObjectVersion expected, bool onlyIfSoleVersion, CancellationToken ct);

    /// <summary>
    /// Moves an object version's data to the cold tier (compressed; a no-op move when it is cold
    /// already) and sets its storage class, atomically: readers see the old class and hot data or
    /// the new class and cold data. Null when the version changed or is gone.
    /// </summary>
    Task<ObjectInfo?> TransitionVersionAsync(ObjectVersion expected, string storageClass, CancellationToken ct);

    /// <summary>
    /// RestoreObject on an archived version (GLACIER / DEEP_ARCHIVE; latest when
    /// <paramref name="versionId"/> is null). Throws NoSuchKey / NoSuchVersion, and
    /// ObjectAlreadyInActiveTierError for a version that is not archived. <paramref name="plan"/>
    /// gives the restore for the version's storage class (its tier's delay depends on it); it is
    /// called inside the write, on the version the restore is for.
    /// </summary>
    Task<RestoreOutcome> RestoreObjectAsync(string bucket, string key, string? versionId, Func<string, RestoreRequest> plan, CancellationToken ct);

    /// <summary>The restore of a version, null when none was requested or its copy expired. Same errors as HeadObject.</summary>
    Task<RestoreStatus?> GetRestoreStatusAsync(string bucket, string key, string? versionId, CancellationToken ct);

    /// <summary>
    /// Cold-tier upkeep: writes the restored copies that became ready, removes the expired ones
    /// (and their restore state) and deletes cold files of removed objects.
    /// </summary>
    Task<ColdTierUpkeep> MaintainColdTierAsync(CancellationToken ct);

    /// <summary>Bytes in the cold tier (compressed) and the number of cold data files.</summary>
    Task<(long Files, long Bytes)> GetColdTierUsageAsync(CancellationToken ct);
}
