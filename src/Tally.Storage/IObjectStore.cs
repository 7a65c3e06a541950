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

    /// <summary>Deleting a key that does not exist succeeds and returns null (S3 semantics).</summary>
    Task<ObjectInfo?> DeleteObjectAsync(string bucket, string key, CancellationToken ct);

    Task<ListObjectsPage> ListObjectsAsync(string bucket, ListObjectsQuery query, CancellationToken ct);

    /// <summary>Replaces the object's tag set (empty = delete all tags) without rewriting data.</summary>
    Task<ObjectInfo> PutObjectTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

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
