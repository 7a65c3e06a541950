namespace Tally.Storage.Model;

/// <summary>
/// A bucket's versioning state. A bucket starts Unversioned; once Enabled it can only move
/// between Enabled and Suspended, never back (AWS).
/// </summary>
public enum VersioningStatus
{
    Unversioned,
    Enabled,
    Suspended,
}

/// <summary>
/// One entry of a key's version stack: an object version or a delete marker.
/// <paramref name="NoncurrentSince"/> is when the version stopped being the latest (its
/// successor was created; lifecycle counts NoncurrentDays from it), null for the latest.
/// <paramref name="Object"/> is the stored object for a version and null for a delete marker.
/// </summary>
public sealed record ObjectVersion(
    string Bucket,
    string Key,
    string VersionId,
    bool IsLatest,
    bool IsDeleteMarker,
    DateTimeOffset LastModified,
    DateTimeOffset? NoncurrentSince,
    string OwnerCanonicalId,
    ObjectInfo? Object)
{
    /// <summary>The version id of the null version (written while versioning is off or suspended).</summary>
    public const string NullId = "null";

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(StringComparer.Ordinal);

    public long Size => Object?.Size ?? 0;

    public IReadOnlyDictionary<string, string> Tags => Object?.Tags ?? NoTags;

    public string StorageClass => Object?.StorageClass ?? "STANDARD";
}

/// <summary>
/// What a delete did. <paramref name="VersionId"/> is the version removed or the delete marker
/// created (null for a delete without versionId in an unversioned bucket);
/// <paramref name="DeleteMarker"/> is true when a marker was created or the version removed was
/// a marker (the x-amz-delete-marker response header); <paramref name="Removed"/> is the object
/// version permanently removed, if any.
/// </summary>
public sealed record ObjectDeletion(string? VersionId, bool DeleteMarker, ObjectInfo? Removed)
{
    /// <summary>True when a delete marker was created (rather than a version removed).</summary>
    public bool MarkerCreated { get; init; }
}

/// <summary>
/// How to delete. Without <see cref="VersionId"/> the bucket's versioning state decides (remove
/// the null version, add a delete marker, or replace the null version with a null marker); with
/// it, that version or marker is removed permanently. The conditions let a background scan act
/// only on what it evaluated: when one does not hold, the delete throws PreconditionFailed and
/// changes nothing.
/// </summary>
public sealed record DeleteObjectOptions
{
    public static DeleteObjectOptions Current { get; } = new();

    public string? VersionId { get; init; }

    /// <summary>Canonical id recorded as the owner of a delete marker this delete creates (default: the bucket owner).</summary>
    public string? RequesterCanonicalId { get; init; }

    /// <summary>Act only while the key's latest version (or marker) has this id.</summary>
    public string? IfLatestVersionId { get; init; }

    /// <summary>With <see cref="VersionId"/>: act only while that version is the key's only version (an expired object delete marker).</summary>
    public bool OnlyIfSoleVersion { get; init; }
}

/// <summary>ListObjectVersions: <paramref name="VersionIdMarker"/> is ignored without <paramref name="KeyMarker"/> (AWS).</summary>
public sealed record ListObjectVersionsQuery(string Prefix, string? Delimiter, string? KeyMarker, string? VersionIdMarker, int MaxKeys);

/// <summary>
/// Versions and delete markers in key order, newest first within a key. When truncated,
/// NextKeyMarker/NextVersionIdMarker are the exclusive start of the next page (NextVersionIdMarker
/// is null when the page ended on a common prefix).
/// </summary>
public sealed record ListObjectVersionsPage(
    IReadOnlyList<ObjectVersion> Versions,
    IReadOnlyList<string> CommonPrefixes,
    bool IsTruncated,
    string? NextKeyMarker,
    string? NextVersionIdMarker);

/// <summary>Every version and delete marker of one key, newest first.</summary>
public sealed record KeyVersions(string Key, IReadOnlyList<ObjectVersion> Versions)
{
    /// <summary>AWS's "expired object delete marker": a delete marker that is the key's only remaining version.</summary>
    public bool IsExpiredDeleteMarker => Versions.Count == 1 && Versions[0].IsDeleteMarker;

    public ObjectVersion? Latest => Versions.Count > 0 ? Versions[0] : null;
}

/// <summary>A page of whole version stacks; <paramref name="NextKeyMarker"/> is null when the scan reached the end.</summary>
public sealed record KeyVersionsPage(IReadOnlyList<KeyVersions> Keys, string? NextKeyMarker);
