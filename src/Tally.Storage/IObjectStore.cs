using Tally.Storage.Model;

namespace Tally.Storage;

/// <summary>
/// Buckets, objects and multipart uploads. Thread-safe. Every method that does not find its
/// bucket, key or upload throws S3Exception (NoSuchBucket / NoSuchKey / NoSuchUpload); there is
/// no second error channel. A write is acknowledged (the task completes) only when data and
/// metadata are durable, and an object is never visible half-written.
/// </summary>
public interface IObjectStore
{
    Task CreateBucketAsync(BucketInfo bucket, CancellationToken ct);

    /// <summary>Throws BucketNotEmpty while the bucket holds objects.</summary>
    Task DeleteBucketAsync(string bucket, CancellationToken ct);

    /// <summary>Null when the bucket does not exist.</summary>
    Task<BucketInfo?> GetBucketAsync(string bucket, CancellationToken ct);

    Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken ct);

    /// <summary>
    /// Reads <paramref name="body"/> to its end into a temporary file, then commits atomically.
    /// If reading the body throws (bad digest, truncated body, cancelled) nothing changes.
    /// </summary>
    Task<ObjectInfo> PutObjectAsync(string bucket, string key, Stream body, ObjectWrite write, CancellationToken ct);

    /// <summary>Metadata and an open, seekable stream of the object's bytes. Dispose the result.</summary>
    Task<ObjectRead> GetObjectAsync(string bucket, string key, CancellationToken ct);

    Task<ObjectInfo> HeadObjectAsync(string bucket, string key, CancellationToken ct);

    /// <summary>
    /// Deletes without a version id, as the bucket's versioning state says (see
    /// <see cref="DeleteObjectAsync(string, string, DeleteObjectOptions, CancellationToken)"/>).
    /// Returns the object permanently removed: null when nothing existed (S3 semantics: success)
    /// or when a delete marker was created instead.
    /// </summary>
    Task<ObjectInfo?> DeleteObjectAsync(string bucket, string key, CancellationToken ct);

    Task<ListObjectsPage> ListObjectsAsync(string bucket, ListObjectsQuery query, CancellationToken ct);

    /// <summary>Replaces the object's tag set (empty = delete all tags) without rewriting data.</summary>
    Task<ObjectInfo> PutObjectTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

    // ---- versioning -------------------------------------------------------------------------
    //
    // Every object is a version. In a bucket that was never versioned each key has only the
    // "null" version and the methods above behave as they always did. PutObject and
    // CompleteMultipartUpload create a new version when versioning is Enabled and replace the null
    // version otherwise; the returned ObjectInfo.VersionId names it. Methods without a version id
    // address the latest version; when that is a delete marker they throw NoSuchKey.

    /// <summary>Throws NoSuchBucket for a missing bucket.</summary>
    Task<VersioningStatus> GetBucketVersioningAsync(string bucket, CancellationToken ct);

    /// <summary>Enabled or Suspended; throws ArgumentException for Unversioned (a bucket never returns to it).</summary>
    Task PutBucketVersioningAsync(string bucket, VersioningStatus status, CancellationToken ct);

    /// <summary>
    /// The latest version (<paramref name="versionId"/> null) or the given version of a key,
    /// delete markers included. Throws NoSuchKey (no versions, versionId null), NoSuchVersion
    /// (unknown version), InvalidArgument (malformed version id).
    /// </summary>
    Task<ObjectVersion> GetObjectVersionAsync(string bucket, string key, string? versionId, CancellationToken ct);

    /// <summary>
    /// GET of a version. Besides the errors of <see cref="GetObjectVersionAsync"/>: a delete
    /// marker throws NoSuchKey when it is the latest version and no version id was given, and
    /// MethodNotAllowed (detail ResourceType=DeleteMarker) when addressed by its version id.
    /// </summary>
    Task<ObjectRead> GetObjectAsync(string bucket, string key, string? versionId, CancellationToken ct);

    /// <summary>HEAD of a version; errors as <see cref="GetObjectAsync(string, string, string?, CancellationToken)"/>.</summary>
    Task<ObjectInfo> HeadObjectAsync(string bucket, string key, string? versionId, CancellationToken ct);

    /// <summary>
    /// Without options.VersionId: Unversioned removes the null version; Enabled adds a delete
    /// marker (even on top of another marker, as AWS does); Suspended replaces the null version
    /// with a null delete marker. With options.VersionId: removes that version or marker
    /// permanently (the next newer remaining version becomes the latest); an unknown version id
    /// succeeds and removes nothing. Throws PreconditionFailed when a condition of
    /// <paramref name="options"/> does not hold.
    /// </summary>
    Task<ObjectDeletion> DeleteObjectAsync(string bucket, string key, DeleteObjectOptions options, CancellationToken ct);

    /// <summary>Replaces one version's tag set; errors as <see cref="GetObjectAsync(string, string, string?, CancellationToken)"/>.</summary>
    Task<ObjectInfo> PutObjectTagsAsync(string bucket, string key, string? versionId, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

    /// <summary>
    /// The ACL document stored with one version (latest when <paramref name="versionId"/> is
    /// null), null when none was stored (the object then has its owner's private default).
    /// Errors as <see cref="GetObjectAsync(string, string, string?, CancellationToken)"/>. The
    /// document is opaque here; Tally.Security's AccessControlList owns its format.
    /// </summary>
    Task<(ObjectInfo Info, string? Acl)> GetObjectAclAsync(string bucket, string key, string? versionId, CancellationToken ct);

    /// <summary>
    /// Replaces one version's ACL document (null: back to the default) without rewriting data;
    /// errors as <see cref="GetObjectAsync(string, string, string?, CancellationToken)"/>. A PUT
    /// that overwrites the object, or a new version, starts without an ACL document.
    /// </summary>
    Task<ObjectInfo> PutObjectAclAsync(string bucket, string key, string? versionId, string? acl, CancellationToken ct);

    /// <summary>ListObjectVersions: versions and delete markers, keys in UTF-8 byte order, newest version first.</summary>
    Task<ListObjectVersionsPage> ListObjectVersionsAsync(string bucket, ListObjectVersionsQuery query, CancellationToken ct);

    /// <summary>
    /// For background scans (lifecycle): the whole version stacks of up to <paramref name="maxKeys"/>
    /// keys under <paramref name="prefix"/> after <paramref name="afterKey"/> (exclusive), in key
    /// order. A key's versions are never split across pages; pass NextKeyMarker back to resume.
    /// </summary>
    Task<KeyVersionsPage> ListKeyVersionsAsync(string bucket, string? prefix, string? afterKey, int maxKeys, CancellationToken ct);

    Task<MultipartUpload> CreateMultipartUploadAsync(string bucket, string key, ObjectWrite write, CancellationToken ct);

    Task<PartInfo> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, PartWrite write, CancellationToken ct);

    /// <summary>
    /// Joins the listed parts (ascending part numbers, ETags matching) into one object with the
    /// multipart ETag "md5(concat(part md5s))-N". Throws InvalidPart, InvalidPartOrder,
    /// EntityTooSmall (a part other than the last below 5 MiB).
    /// </summary>
    Task<ObjectInfo> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken ct);

    Task AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct);

    Task<MultipartUpload> GetMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct);

    Task<ListPartsPage> ListPartsAsync(string bucket, string key, string uploadId, int partNumberMarker, int maxParts, CancellationToken ct);

    Task<ListMultipartUploadsPage> ListMultipartUploadsAsync(string bucket, ListMultipartUploadsQuery query, CancellationToken ct);
}
