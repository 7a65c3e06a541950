using System.Globalization;
using System.Text.Json;
using Tally.AccessLogs.Records;
using Tally.AccessLogs.Tests.Conformance;

namespace Tally.AccessLogs.Tests.Records;

/// <summary>
/// NCBI's real AWS lines and its reference parser's output (conformance/ncbi-logging). NCBI writes
/// every <c>-</c> as <c>""</c> and splits the request line into method, path and version; the
/// comparison maps our values to that view, field by field.
/// </summary>
public sealed class NcbiConformanceTests
{
    private static readonly string[] ComparedFields =
    [
        "owner", "bucket", "time", "ip", "requester", "request_id", "operation", "key", "method", "path", "vers",
        "res_code", "error", "res_len", "obj_size", "total_time", "turnaround_time", "referer", "agent", "version_id",
        "host_id", "sig_ver", "cipher_suite", "auth_type", "host_header", "tls_version", "access_point", "acl_required",
    ];

    public static TheoryData<int> TestLines() => [.. Enumerable.Range(1, ConformanceFiles.ReadLines("ncbi-logging/aws_testlines.log").Length)];

    [Theory]
    [MemberData(nameof(TestLines))]
    public void Real_line_parses_to_the_values_of_the_reference_parser(int number)
    {
        var line = ConformanceFiles.ReadLines("ncbi-logging/aws_testlines.log")[number - 1];
        var expected = ConformanceFiles.ReadLines("ncbi-logging/expected/aws_testlines/out.good.jsonl")[number - 1];

        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);
        AssertSameValues(JsonDocument.Parse(expected).RootElement, NcbiView(parsed));
    }

    [Fact]
    public void Reference_parser_accepted_every_line_we_compare_against()
    {
        Assert.Equal(
            ConformanceFiles.ReadLines("ncbi-logging/aws_testlines.log").Length,
            ConformanceFiles.ReadLines("ncbi-logging/expected/aws_testlines/out.good.jsonl").Length);
        Assert.Equal(string.Empty, ConformanceFiles.ReadText("ncbi-logging/expected/aws_testlines/out.bad.jsonl"));
    }

    [Fact]
    public void Extra_IAM_id_token_before_Host_Id_is_read_as_part_of_Host_Id_like_the_reference_parser()
    {
        var line = ConformanceFiles.ReadLines("ncbi-logging/aws_testlines.log")[8];

        var parsed = AccessLogParser.TryParseLine(line, out var p, out var error) ? p : throw new InvalidOperationException(error);

        Assert.Equal("AIDAISBTTLPGXGH6YFFAY LzYGhqEwXn5Xiuil9tI6JtK2PiIo+SC6Ute3Isq2qEmt/t0Z7qFkyD0mp1ZIc43bm0qSX4tBbbc=", parsed.Record.HostId);
        Assert.Equal("SigV4", parsed.Record.SignatureVersion);
        Assert.Equal(26, parsed.FieldCount);
    }

    /// <summary>The reverse direction: NCBI's JSON records and the AWS lines its writer made of them.</summary>
    public static TheoryData<int> ReverseLines() => [1, 2, 3];

    [Theory]
    [MemberData(nameof(ReverseLines))]
    public void Writer_line_parses_to_the_json_record_it_was_written_from(int number)
    {
        var json = ReverseJson()[number - 1];
        var line = ConformanceFiles.ReadLines("ncbi-logging/expected/aws_rev_testlines/out.good.aws")[number - 1];

        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);
        AssertSameValues(json, NcbiView(parsed));
    }

    [Theory]
    [MemberData(nameof(ReverseLines))]
    public void Formatting_the_json_record_reproduces_the_reference_writer_line(int number)
    {
        var json = ReverseJson()[number - 1];
        var expected = ConformanceFiles.ReadLines("ncbi-logging/expected/aws_rev_testlines/out.good.aws")[number - 1];

        // NCBI writes 26 fields (through aclRequired) and a bare "-" for an empty Referer.
        Assert.Equal(expected, AccessLogFormatter.Format(RecordFromNcbi(json), fieldCount: 26));
    }

    private static List<JsonElement> ReverseJson()
    {
        // aws_reparse_1.json holds five inputs, one a line; the writer rejects the empty one and the
        // lone "{" (out.unrecog.aws) and writes the other three in order.
        var good = new List<JsonElement>();
        foreach (var line in ConformanceFiles.ReadLines("ncbi-logging/aws_reparse_1.json"))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('{') && trimmed.EndsWith('}'))
            {
                good.Add(JsonDocument.Parse(trimmed).RootElement);
            }
        }

        Assert.Equal(3, good.Count);
        return good;
    }

    private static AccessLogRecord RecordFromNcbi(JsonElement j)
    {
        string? S(string name) => j.TryGetProperty(name, out var v) && v.GetString() is { Length: > 0 } s ? s : null;
        long? N(string name) => S(name) is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : null;
        var time = S("time")!;
        return new AccessLogRecord
        {
            BucketOwner = S("owner"),
            Bucket = S("bucket"),
            Time = DateTimeOffset.ParseExact(time, "'['dd/MMM/yyyy:HH:mm:ss zzz']'", CultureInfo.InvariantCulture),
            RemoteIp = S("ip"),
            Requester = S("requester"),
            RequestId = S("request_id"),
            Operation = S("operation"),
            Key = S("key"),
            RequestUri = S("method") is null ? null : $"{S("method")} {S("path")} {S("vers")}",
            HttpStatus = (int?)N("res_code"),
            ErrorCode = S("error"),
            BytesSent = N("res_len"),
            ObjectSize = N("obj_size"),
            TotalTime = N("total_time"),
            TurnAroundTime = N("turnaround_time"),
            Referer = S("referer"),
            UserAgent = S("agent"),
            VersionId = S("version_id"),
            HostId = S("host_id"),
            SignatureVersion = S("sig_ver"),
            CipherSuite = S("cipher_suite"),
            AuthenticationType = S("auth_type"),
            HostHeader = S("host_header"),
            TlsVersion = S("tls_version"),
            AccessPointArn = S("access_point"),
            AclRequired = S("acl_required") == "Yes",
        };
    }

    private static void AssertSameValues(JsonElement expected, Dictionary<string, string> actual) =>
        FieldView.AssertMatches(ComparedFields.Select(f => (f, expected.TryGetProperty(f, out var v) ? v.GetString() : string.Empty)), actual);

    private static Dictionary<string, string> NcbiView(ParsedAccessLogLine parsed)
    {
        var r = parsed.Record;
        static string Dash(string? s) => s is null or "-" ? string.Empty : s;
        static string Num(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
        var uri = Dash(r.RequestUri);
        var firstSpace = uri.IndexOf(' ', StringComparison.Ordinal);
        var lastSpace = uri.LastIndexOf(' ');
        return new Dictionary<string, string>
        {
            ["owner"] = Dash(r.BucketOwner),
            ["bucket"] = Dash(r.Bucket),
            ["time"] = "[" + r.Time.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture) + " +0000]",
            ["ip"] = Dash(r.RemoteIp),
            ["requester"] = Dash(r.Requester),
            ["request_id"] = Dash(r.RequestId),
            ["operation"] = Dash(r.Operation),

            // NCBI keeps the key as logged.
            ["key"] = Dash(parsed.RawKey),
            ["method"] = firstSpace < 0 ? string.Empty : uri[..firstSpace],
            ["path"] = firstSpace < 0 ? string.Empty : uri[(firstSpace + 1)..lastSpace],
            ["vers"] = firstSpace < 0 ? string.Empty : uri[(lastSpace + 1)..],
            ["res_code"] = Num(r.HttpStatus),
            ["error"] = Dash(r.ErrorCode),
            ["res_len"] = Num(r.BytesSent),
            ["obj_size"] = Num(r.ObjectSize),
            ["total_time"] = Num(r.TotalTime),
            ["turnaround_time"] = Num(r.TurnAroundTime),
            ["referer"] = Dash(r.Referer),
            ["agent"] = Dash(r.UserAgent),
            ["version_id"] = Dash(r.VersionId),
            ["host_id"] = Dash(r.HostId),
            ["sig_ver"] = Dash(r.SignatureVersion),
            ["cipher_suite"] = Dash(r.CipherSuite),
            ["auth_type"] = Dash(r.AuthenticationType),
            ["host_header"] = Dash(r.HostHeader),
            ["tls_version"] = Dash(r.TlsVersion),
            ["access_point"] = Dash(r.AccessPointArn),
            ["acl_required"] = r.AclRequired ? "Yes" : string.Empty,
        };
    }
}
