using System.Globalization;
using Tally.AccessLogs.Records;
using Tally.AccessLogs.Tests.Conformance;

namespace Tally.AccessLogs.Tests.Records;

/// <summary>
/// The OpenTelemetry collector's S3 access-log cases (conformance/otel-collector-contrib). Its
/// expected files are OTLP records; the comparison maps our record to the same attribute names
/// and values (two mapping versions: see that folder's README).
/// </summary>
public sealed class OtelConformanceTests
{
    public static TheoryData<string, bool> Cases() => new()
    {
        { "valid_s3_access_log", false },
        { "unknown_request_uri", false },
        { "too_many_values", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Line_parses_to_the_attributes_the_collector_expects(string name, bool newerMapping)
    {
        var line = ConformanceFiles.ReadText($"otel-collector-contrib/{name}.log");
        var (expected, timeUnixNano) = ReadExpected($"otel-collector-contrib/{name}_expected.yaml");

        Assert.True(AccessLogParser.TryParse(line, out var record, out var error), error);

        Assert.Equal(expected, OtelView(record, newerMapping));
        Assert.Equal(timeUnixNano, record.Time.ToUnixTimeMilliseconds() * 1_000_000);

        // Fields the collector leaves out because they are "-" in these lines.
        Assert.Null(record.ErrorCode);
        Assert.Null(record.ObjectSize);
        Assert.Null(record.TurnAroundTime);
        Assert.Null(record.VersionId);
        Assert.Equal(AccessLogRecord.AbsentHeader, record.Referer);
    }

    [Fact]
    public void Quoted_dash_Request_URI_is_kept_apart_from_a_bare_dash()
    {
        var line = ConformanceFiles.ReadText("otel-collector-contrib/unknown_request_uri.log");

        var record = AccessLogParser.Parse(line);

        Assert.Equal("-", record.RequestUri);
        Assert.Contains(" \"-\" 200 ", AccessLogFormatter.Format(record, fieldCount: 26), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_trailing_field_is_counted_and_ignored()
    {
        var line = ConformanceFiles.ReadText("otel-collector-contrib/too_many_values.log");

        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);

        Assert.Equal(28, parsed.FieldCount);
        Assert.Equal("us-east-1", parsed.Record.SourceRegion);
        Assert.True(parsed.Record.AclRequired);
    }

    [Fact]
    public void Line_cut_after_the_HTTP_status_is_rejected_with_the_field_count()
    {
        var line = ConformanceFiles.ReadText("otel-collector-contrib/too_few_values.log");

        Assert.False(AccessLogParser.TryParse(line, out var record, out var error));
        Assert.Null(record);
        Assert.Equal("expected 18 or more fields, found 10", error);
    }

    private static Dictionary<string, string> OtelView(AccessLogRecord r, bool newer)
    {
        var view = new FieldView();

        view.Add("aws.s3.bucket", r.Bucket);
        view.Add("aws.s3.owner", r.BucketOwner);
        view.Add("source.address", r.RemoteIp);
        view.Add("user.id", r.Requester);
        view.Add("aws.request_id", r.RequestId);
        view.Add("rpc.method", r.Operation);
        if (r.RequestUri is { } uri && uri != AccessLogRecord.AbsentHeader)
        {
            var parts = uri.Split(' ');
            view.Add("http.request.method", parts[0]);
            if (newer)
            {
                var query = parts[1].IndexOf('?', StringComparison.Ordinal);
                view.Add("url.path", query < 0 ? parts[1] : parts[1][..query]);
                view.Add("url.query", query < 0 ? null : parts[1][(query + 1)..]);
                view.Add("network.protocol.name", parts[2].Split('/')[0].ToLowerInvariant());
                view.Add("network.protocol.version", parts[2].Split('/')[1]);
            }
            else
            {
                view.Add("url.path", parts[1]);
                view.Add("url.scheme", parts[2]);
            }
        }

        view.Add("http.response.status_code", r.HttpStatus);
        view.Add("http.response.body.size", r.BytesSent);
        view.Add("duration", r.TotalTime);
        view.Add("user_agent.original", r.UserAgent);
        view.Add("aws.extended_request_id", r.HostId);
        view.Add("aws.signature.version", r.SignatureVersion);
        view.Add("tls.cipher", r.CipherSuite);
        view.Add("aws.s3.auth_type", r.AuthenticationType);
        view.Add("http.request.header.host", r.HostHeader);
        view.Add("tls.protocol.version", newer && r.TlsVersion is { } tls ? tls[(tls.IndexOf('v', StringComparison.OrdinalIgnoreCase) + 1)..] : r.TlsVersion);
        view.Add("aws.s3.access_point.arn", r.AccessPointArn);
        view.Add("aws.s3.acl_required", r.AclRequired ? "true" : null);
        view.Add("aws.s3.source_region", r.SourceRegion);
        return view.Fields;
    }

    /// <summary>
    /// Reads the attribute list of an expected OTLP file: each <c>- key: name</c> line followed by its
    /// <c>stringValue</c>/<c>intValue</c>/<c>boolValue</c> line (the files' fixed layout), plus the timestamp.
    /// </summary>
    private static (Dictionary<string, string> Attributes, long TimeUnixNano) ReadExpected(string file)
    {
        var attributes = new Dictionary<string, string>();
        long time = 0;
        string? key = null;
        foreach (var raw in ConformanceFiles.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.StartsWith("- key: ", StringComparison.Ordinal))
            {
                key = line["- key: ".Length..];
            }
            else if (key is not null && line.Split(": ", 2) is ["stringValue" or "intValue" or "boolValue", var value])
            {
                attributes[key] = value.Trim('"');
                key = null;
            }
            else if (line.StartsWith("timeUnixNano: ", StringComparison.Ordinal))
            {
                time = long.Parse(line["timeUnixNano: ".Length..].Trim('"'), CultureInfo.InvariantCulture);
            }
        }

        // Collector-side constants, not log fields.
        attributes.Remove("cloud.provider");
        attributes.Remove("encoding.format");
        return (attributes, time);
    }
}
