using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Records;
using Tally.Core.Errors;

namespace Tally.Server.Pipeline;

/// <summary>
/// Turns a completed request into its access-log records (spec §1): the request's own record and
/// the extra ones AWS writes (spec §1.7 REST.COPY.*_GET in the source bucket's log, one
/// BATCH.DELETE.OBJECT per deleted key). Each field follows spec §1.2 and the `-` rules of §1.1.
/// </summary>
public static class AccessLogRecords
{
    public static IEnumerable<AccessLogRecord> From(AccessLogCompletion completion, LoggingRegistry registry, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        var capture = completion.Capture;
        var http = completion.Http;
        var request = http.Request;
        var tls = http.Features.Get<ITlsHandshakeFeature>();
        var remoteIp = RemoteIp(http.Connection.RemoteIpAddress);
        var hostHeader = request.Headers.Host.ToString();
        var cipher = tls is null ? null : TlsNames.CipherSuite(tls.NegotiatedCipherSuite);
        var tlsVersion = tls is null ? null : TlsNames.Version(tls.Protocol);

        if (capture.Bucket is { } bucket
            && !(capture.BucketOwner is null && capture.ErrorCode == S3Errors.NoSuchBucket.Code)
            && (capture.BucketOwner ?? registry.Get(bucket)?.Source.OwnerCanonicalId) is { } owner)
        {
            var rawTarget = http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            var firstByte = completion.FirstResponseByte;
            var lastRequestByte = completion.LastRequestByte == 0 ? completion.Started : completion.LastRequestByte;
            yield return new AccessLogRecord
            {
                BucketOwner = owner,
                Bucket = bucket,
                Time = capture.ReceivedAt,
                RemoteIp = remoteIp,
                Requester = capture.Requester,
                RequestId = capture.RequestId,
                Operation = capture.Operation?.LogOperation,
                Key = capture.Key,

                // spec §1.5: the request line as received, query string verbatim.
                RequestUri = $"{request.Method} {rawTarget} {request.Protocol}",
                HttpStatus = http.Response.StatusCode,
                ErrorCode = capture.ErrorCode,
                BytesSent = completion.Body.BytesWritten,
                ObjectSize = capture.ObjectSize,
                TotalTime = Milliseconds(time, completion.Started, completion.Completed),
                TurnAroundTime = firstByte == 0 ? null : Milliseconds(time, Math.Min(lastRequestByte, firstByte), firstByte),
                Referer = Header(request.Headers.Referer),
                UserAgent = Header(request.Headers.UserAgent),
                VersionId = capture.VersionId ?? (request.Query.TryGetValue("versionId", out var v) ? v.ToString() : null),
                HostId = capture.HostId,
                SignatureVersion = capture.SignatureVersion,
                CipherSuite = cipher,
                AuthenticationType = capture.AuthenticationType,
                HostHeader = hostHeader,
                TlsVersion = tlsVersion,
                AclRequired = capture.AclRequired,
            };
        }

        foreach (var derived in capture.Derived)
        {
            // spec §1.7, §9.6: no HTTP request of their own, so Request-URI, Referer and User-Agent
            // are a bare "-", and so are the times and bytes sent.
            yield return new AccessLogRecord
            {
                BucketOwner = derived.BucketOwner,
                Bucket = derived.Bucket,
                Time = capture.ReceivedAt,
                RemoteIp = remoteIp,
                Requester = capture.Requester,
                RequestId = capture.RequestId,
                Operation = derived.Operation,
                Key = derived.Key,
                HttpStatus = derived.HttpStatus,
                ErrorCode = derived.ErrorCode,
                ObjectSize = derived.ObjectSize,
                VersionId = derived.VersionId,
                HostId = capture.HostId,
                SignatureVersion = capture.SignatureVersion,
                CipherSuite = cipher,
                AuthenticationType = capture.AuthenticationType,
                HostHeader = hostHeader,
                TlsVersion = tlsVersion,
            };
        }
    }

    /// <summary>IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; AWS logs a.b.c.d.</summary>
    public static string? RemoteIp(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>A header's raw value, or <c>"-"</c> (quoted) when the request lacked it (spec §9.6).</summary>
    private static string Header(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count == 0 || string.IsNullOrEmpty(value[0]) ? AccessLogRecord.AbsentHeader : value.ToString();

    private static long Milliseconds(TimeProvider time, long from, long to) =>
        to <= from ? 0 : (long)time.GetElapsedTime(from, to).TotalMilliseconds;
}
