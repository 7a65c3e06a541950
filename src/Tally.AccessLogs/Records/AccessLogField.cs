namespace Tally.AccessLogs.Records;

/// <summary>The 27 fields of a record, numbered as in spec §1.2 (1 = Bucket Owner).</summary>
public enum AccessLogField
{
    BucketOwner = 1,
    Bucket,
    Time,
    RemoteIp,
    Requester,
    RequestId,
    Operation,
    Key,
    RequestUri,
    HttpStatus,
    ErrorCode,
    BytesSent,
    ObjectSize,
    TotalTime,
    TurnAroundTime,
    Referer,
    UserAgent,
    VersionId,
    HostId,
    SignatureVersion,
    CipherSuite,
    AuthenticationType,
    HostHeader,
    TlsVersion,
    AccessPointArn,
    AclRequired,
    SourceRegion,
}
