namespace Tally.AccessLogs.Records;

/// <summary>
/// A field's names: the AWS documentation name (spec §1.2) and the Athena column name and type of
/// the current AWS DDL (spec §7.1), which the SQL layer reproduces.
/// </summary>
public sealed record AccessLogFieldInfo(AccessLogField Field, string AwsName, string AthenaColumn, string AthenaType, bool Quoted);

/// <summary>The field table, in record order. Guarded by tests against the spec.</summary>
public static class AccessLogFields
{
    /// <summary>Fields in the current format; AWS may append more at any time (spec §1.1).</summary>
    public const int Current = 27;

    /// <summary>The oldest format (through Version Id) that the parser accepts.</summary>
    public const int Minimum = 18;

    public static IReadOnlyList<AccessLogFieldInfo> All { get; } =
    [
        new(AccessLogField.BucketOwner, "Bucket Owner", "bucketowner", "STRING", false),
        new(AccessLogField.Bucket, "Bucket", "bucket_name", "STRING", false),
        new(AccessLogField.Time, "Time", "requestdatetime", "STRING", false),
        new(AccessLogField.RemoteIp, "Remote IP", "remoteip", "STRING", false),
        new(AccessLogField.Requester, "Requester", "requester", "STRING", false),
        new(AccessLogField.RequestId, "Request ID", "requestid", "STRING", false),
        new(AccessLogField.Operation, "Operation", "operation", "STRING", false),
        new(AccessLogField.Key, "Key", "key", "STRING", false),
        new(AccessLogField.RequestUri, "Request-URI", "request_uri", "STRING", true),
        new(AccessLogField.HttpStatus, "HTTP status", "httpstatus", "STRING", false),
        new(AccessLogField.ErrorCode, "Error Code", "errorcode", "STRING", false),
        new(AccessLogField.BytesSent, "Bytes Sent", "bytessent", "BIGINT", false),
        new(AccessLogField.ObjectSize, "Object Size", "objectsize", "BIGINT", false),
        new(AccessLogField.TotalTime, "Total Time", "totaltime", "STRING", false),
        new(AccessLogField.TurnAroundTime, "Turn-Around Time", "turnaroundtime", "STRING", false),
        new(AccessLogField.Referer, "Referer", "referrer", "STRING", true),
        new(AccessLogField.UserAgent, "User-Agent", "useragent", "STRING", true),
        new(AccessLogField.VersionId, "Version Id", "versionid", "STRING", false),
        new(AccessLogField.HostId, "Host Id", "hostid", "STRING", false),
        new(AccessLogField.SignatureVersion, "Signature Version", "sigv", "STRING", false),
        new(AccessLogField.CipherSuite, "Cipher Suite", "ciphersuite", "STRING", false),
        new(AccessLogField.AuthenticationType, "Authentication Type", "authtype", "STRING", false),
        new(AccessLogField.HostHeader, "Host Header", "endpoint", "STRING", false),
        new(AccessLogField.TlsVersion, "TLS version", "tlsversion", "STRING", false),
        new(AccessLogField.AccessPointArn, "Access Point ARN", "accesspointarn", "STRING", false),
        new(AccessLogField.AclRequired, "aclRequired", "aclrequired", "STRING", false),
        new(AccessLogField.SourceRegion, "Source region", "sourceregion", "STRING", false),
    ];
}
