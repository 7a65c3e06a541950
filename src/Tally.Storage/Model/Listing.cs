namespace Tally.Storage.Model;

/// <summary>
/// One page of a listing. <paramref name="StartAfter"/> is exclusive (v1 marker, v2 start-after
/// or continuation token decoded). Keys are compared as UTF-8 bytes, as S3 sorts them.
/// </summary>
public sealed record ListObjectsQuery(string Prefix, string? Delimiter, string? StartAfter, int MaxKeys);

/// <summary>
/// <paramref name="NextMarker"/> is the last key or common prefix returned when truncated: the
/// exclusive start of the next page.
/// </summary>
public sealed record ListObjectsPage(IReadOnlyList<ObjectInfo> Objects, IReadOnlyList<string> CommonPrefixes, bool IsTruncated, string? NextMarker);

public sealed record MultipartUpload(string Bucket, string Key, string UploadId, DateTimeOffset Initiated, ObjectWrite Write);

public sealed record PartInfo(int PartNumber, string ETag, long Size, DateTimeOffset LastModified, IReadOnlyDictionary<string, string> Checksums);

public sealed record CompletedPart(int PartNumber, string ETag);

public sealed record ListPartsPage(IReadOnlyList<PartInfo> Parts, bool IsTruncated, int NextPartNumberMarker);

public sealed record ListMultipartUploadsQuery(string Prefix, string? Delimiter, string? KeyMarker, string? UploadIdMarker, int MaxUploads);

public sealed record ListMultipartUploadsPage(
    IReadOnlyList<MultipartUpload> Uploads,
    IReadOnlyList<string> CommonPrefixes,
    bool IsTruncated,
    string? NextKeyMarker,
    string? NextUploadIdMarker);
