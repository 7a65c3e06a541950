using System.Text.Json;
using Tally.AccessLogs.Records;
using Tally.AccessLogs.Tests.Conformance;

namespace Tally.AccessLogs.Tests.Records;

/// <summary>
/// The logstash S3_ACCESS_LOG grok spec (conformance/logstash-patterns-core): two 18-field lines
/// from before 2018 and a 24-field line, with the values grok must extract (legacy and ECS names).
/// </summary>
public sealed class LogstashConformanceTests
{
    public static TheoryData<int> Lines() => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Lines))]
    public void Line_parses_to_the_legacy_grok_values(int number)
    {
        var (parsed, expected) = Load(number);
        var view = LegacyView(parsed);

        FieldView.AssertMatches(expected.GetProperty("legacy").EnumerateObject().Select(f => (f.Name, (string?)Text(f.Value))), view);

        if (expected.TryGetProperty("legacy_nil", out var nils))
        {
            foreach (var name in nils.EnumerateArray().Select(n => n.GetString()!).Where(n => n != "tags"))
            {
                Assert.True(!view.TryGetValue(name, out var actual), $"{name} should be absent, got '{actual}'");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Line_parses_to_the_ECS_grok_values(int number)
    {
        var (parsed, expected) = Load(number);
        if (!expected.TryGetProperty("ecs_v1", out var ecs))
        {
            return;
        }

        FieldView.AssertMatches(Flatten(ecs, prefix: string.Empty), EcsView(parsed));
    }

    [Fact]
    public void Short_lines_leave_every_field_after_Version_Id_absent()
    {
        var (parsed, _) = Load(1);

        Assert.Equal(18, parsed.FieldCount);
        Assert.False(parsed.Has(AccessLogField.HostId));
        Assert.Null(parsed.Raw(AccessLogField.SourceRegion));
        Assert.Null(parsed.Record.HostId);
        Assert.False(parsed.Record.AclRequired);
    }

    private static (ParsedAccessLogLine Parsed, JsonElement Expected) Load(int number)
    {
        var line = ConformanceFiles.ReadLines("logstash-patterns-core/s3_access_log.log")[number - 1];
        var expected = JsonDocument.Parse(ConformanceFiles.ReadText("logstash-patterns-core/s3_access_log-expected.json"))
            .RootElement.GetProperty("expected")[number - 1];
        Assert.Equal(number, expected.GetProperty("line").GetInt32());
        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);
        return (parsed, expected);
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static IEnumerable<(string Path, string? Value)> Flatten(JsonElement element, string prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            var path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var leaf in Flatten(property.Value, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (path, Text(property.Value));
            }
        }
    }

    // Grok's legacy names; a field that is "-" in the line is absent (nil) there.
    private static Dictionary<string, string> LegacyView(ParsedAccessLogLine p)
    {
        var r = p.Record;
        var (verb, target, version) = SplitRequest(r.RequestUri);
        var view = new FieldView();

        view.Add("owner", r.BucketOwner);
        view.Add("bucket", r.Bucket);
        view.Add("timestamp", p.Raw(AccessLogField.Time));
        view.Add("clientip", r.RemoteIp);
        view.Add("requester", p.Raw(AccessLogField.Requester));
        view.Add("request_id", r.RequestId);
        view.Add("operation", r.Operation);
        view.Add("key", p.RawKey);
        view.Add("verb", verb);
        view.Add("request", target);
        view.Add("httpversion", version);
        view.Add("response", r.HttpStatus);
        view.Add("error_code", r.ErrorCode);
        view.Add("bytes", r.BytesSent);
        view.Add("object_size", r.ObjectSize);
        view.Add("request_time_ms", r.TotalTime);
        view.Add("turnaround_time_ms", r.TurnAroundTime);
        view.Add("referrer", p.Raw(AccessLogField.Referer));
        view.Add("agent", p.Raw(AccessLogField.UserAgent));
        view.Add("version_id", r.VersionId);
        return view.Fields;
    }

    private static Dictionary<string, string> EcsView(ParsedAccessLogLine p)
    {
        var r = p.Record;
        var (verb, target, version) = SplitRequest(r.RequestUri);
        var view = new FieldView();

        const string S3 = "aws.s3access.";
        view.Add(S3 + "bucket_owner", r.BucketOwner);
        view.Add(S3 + "bucket", r.Bucket);
        view.Add(S3 + "request_id", r.RequestId);
        view.Add(S3 + "operation", r.Operation);
        view.Add(S3 + "key", r.Key);
        view.Add(S3 + "request_uri", r.RequestUri);
        view.Add(S3 + "error_code", r.ErrorCode);
        view.Add(S3 + "bytes_sent", r.BytesSent);
        view.Add(S3 + "total_time", r.TotalTime);
        view.Add(S3 + "turn_around_time", r.TurnAroundTime);
        view.Add(S3 + "host_id", r.HostId);
        view.Add(S3 + "signature_version", r.SignatureVersion);
        view.Add(S3 + "authentication_type", r.AuthenticationType);
        view.Add(S3 + "host_header", r.HostHeader);
        view.Add(S3 + "tls_version", r.TlsVersion);
        view.Add("timestamp", p.Raw(AccessLogField.Time));
        view.Add("client.ip", r.RemoteIp);
        view.Add("client.user.id", r.Requester);
        view.Add("user_agent.original", r.UserAgent);
        view.Add("http.request.method", verb);
        view.Add("http.version", version);
        view.Add("http.response.status_code", r.HttpStatus);
        view.Add("url.original", target);
        view.Add("tls.cipher", r.CipherSuite);
        return view.Fields;
    }

    private static (string? Verb, string? Target, string? Version) SplitRequest(string? uri)
    {
        if (uri is null || uri == AccessLogRecord.AbsentHeader)
        {
            return (null, null, null);
        }

        var parts = uri.Split(' ');
        return (parts[0], parts[1], parts[2]["HTTP/".Length..]);
    }
}
