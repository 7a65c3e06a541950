using Tally.AccessLogs.Delivery;
using Tally.AccessLogs.Records;
using Tally.Core.Requests;

namespace Tally.Lifecycle.Execution;

/// <summary>
/// The access-log records S3 writes for its own lifecycle actions (spec §2.5, §2.6): requester
/// AmazonS3, no HTTP request (Request-URI, Referer, User-Agent, status, bytes and times are
/// <c>-</c>), the key encoded once, the object's size and the version removed or created.
/// Written through the same sink as request records, when the bucket has logging on.
/// </summary>
public sealed class LifecycleRecords(IAccessLogSink? sink, TimeProvider time)
{
    /// <summary>spec §2.6: the requester of every S3.* record.</summary>
    public const string Requester = "AmazonS3";

    public bool Write(string bucketOwner, string bucket, string operation, string key, long? objectSize, string? versionId)
    {
        if (sink is null || !sink.IsLogged(bucket))
        {
            return false;
        }

        sink.Write(Create(bucketOwner, bucket, operation, key, objectSize, versionId, time.GetUtcNow()));
        return true;
    }

    public static AccessLogRecord Create(string bucketOwner, string bucket, string operation, string key, long? objectSize, string? versionId, DateTimeOffset at) => new()
    {
        BucketOwner = bucketOwner,
        Bucket = bucket,
        Time = at,
        Requester = Requester,
        RequestId = RequestId.NewRequestId(),
        Operation = operation,
        Key = key,
        ObjectSize = objectSize,
        VersionId = versionId,
        HostId = RequestId.NewHostId(),
    };
}
