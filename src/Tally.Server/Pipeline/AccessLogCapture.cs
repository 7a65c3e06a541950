using Tally.S3.Operations;

namespace Tally.Server.Pipeline;

/// <summary>
/// The per-request facts an access-log record is made of. Set by the capture middleware and the
/// dispatcher, completed by handlers; turned into records in exactly one place (the middleware's
/// completion callback). A typed HTTP feature, never an untyped Items bag (STYLE §2.4).
/// </summary>
public sealed class AccessLogCapture
{
    public required string RequestId { get; init; }

    public required string HostId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public S3Operation? Operation { get; set; }

    public string? Bucket { get; set; }

    public string? BucketOwner { get; set; }

    public string? Key { get; set; }

    public string? Requester { get; set; }

    public string? SignatureVersion { get; set; }

    public string? AuthenticationType { get; set; }

    public string? ErrorCode { get; set; }

    public long? ObjectSize { get; set; }

    public string? VersionId { get; set; }

    public bool AclRequired { get; set; }

    /// <summary>Records AWS writes besides the request's own (REST.COPY.OBJECT_GET, BATCH.DELETE.OBJECT).</summary>
    public List<DerivedRecord> Derived { get; } = [];
}

/// <summary>An extra record caused by this request, logged in <paramref name="Bucket"/>'s log.</summary>
public sealed record DerivedRecord(string Bucket, string BucketOwner, string Operation, string Key, int? HttpStatus, string? ErrorCode, long? ObjectSize, string? VersionId);
