namespace Tally.AccessLogs.Records;

/// <summary>
/// One Amazon S3 server access log record: the 27 fields in AWS order, named as the AWS
/// documentation names them (spec §1.2).
/// </summary>
/// <remarks>
/// <para><b>Dashes.</b> A null value is written as <c>-</c>. An empty string is written as <c>-</c>
/// too in the unquoted fields (an empty token would shift every later field).</para>
/// <para><b>Quoted fields</b> (<see cref="RequestUri"/>, <see cref="Referer"/>,
/// <see cref="UserAgent"/>) tell two kinds of absence apart (spec §1.1, §9.6): null means the record
/// has no HTTP request of its own (<c>REST.COPY.OBJECT_GET</c>, <c>BATCH.DELETE.OBJECT</c>,
/// <c>S3.*</c>) and is written as a bare <c>-</c>; the string <see cref="AbsentHeader"/> (<c>"-"</c>)
/// means an HTTP request that lacked the header and is written as a quoted <c>"-"</c>. Any other
/// value is written raw between quotes: AWS does not escape a <c>"</c> inside them (spec §1.3).</para>
/// <para><b>Key</b> holds the real object key, decoded. The formatter applies the log encoding of
/// spec §1.4 (twice for REST/WEBSITE operations, once for <c>BATCH.DELETE.OBJECT</c> and
/// <c>S3.*</c>; see <see cref="AccessLogKey"/>) and the parser undoes it.</para>
/// <para><b>Numbers.</b> <see cref="BytesSent"/> of 0 is written <c>-</c> (spec §1.6) and so reads
/// back as null. <see cref="TotalTime"/> and <see cref="TurnAroundTime"/> are milliseconds.</para>
/// <para><b>Time</b> is when the request was received; it is always written in UTC with
/// <c>+0000</c> at one-second precision.</para>
/// <para><b>Unquoted fields</b> are written raw and must not contain spaces; the capture supplies
/// them that way. (Control characters are percent-encoded in every field so that one record is
/// always one line.)</para>
/// </remarks>
public sealed record AccessLogRecord
{
    /// <summary>The value of a quoted field for an HTTP request that lacked the header: <c>"-"</c>.</summary>
    public const string AbsentHeader = "-";

    public string? BucketOwner { get; init; }

    public string? Bucket { get; init; }

    public DateTimeOffset Time { get; init; }

    public string? RemoteIp { get; init; }

    public string? Requester { get; init; }

    public string? RequestId { get; init; }

    public string? Operation { get; init; }

    public string? Key { get; init; }

    public string? RequestUri { get; init; }

    public int? HttpStatus { get; init; }

    public string? ErrorCode { get; init; }

    public long? BytesSent { get; init; }

    public long? ObjectSize { get; init; }

    public long? TotalTime { get; init; }

    public long? TurnAroundTime { get; init; }

    public string? Referer { get; init; }

    public string? UserAgent { get; init; }

    public string? VersionId { get; init; }

    public string? HostId { get; init; }

    public string? SignatureVersion { get; init; }

    public string? CipherSuite { get; init; }

    public string? AuthenticationType { get; init; }

    public string? HostHeader { get; init; }

    public string? TlsVersion { get; init; }

    public string? AccessPointArn { get; init; }

    /// <summary>Written <c>Yes</c> when true and <c>-</c> when false (spec §1.2 field 26).</summary>
    public bool AclRequired { get; init; }

    public string? SourceRegion { get; init; }
}
