using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Tests.Records;

public sealed class AccessLogParserTests
{
    private static readonly string Head = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be photos [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F33A59F07 REST.GET.OBJECT a%253Db";
    private static readonly string Tail = "- hostid= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader photos.s3.amazonaws.com TLSv1.2 - - -";

    private static string Line(string uri = "\"GET /photos/a%3Db HTTP/1.1\"", string referer = "\"-\"", string agent = "\"curl/8\"") =>
        $"{Head} {uri} 200 - 5 5 3 2 {referer} {agent} {Tail}";

    [Fact]
    public void Raw_quote_inside_User_Agent_stays_in_the_value()
    {
        // siem-on-amazon-opensearch-service PR #34: "...Safari/604.1""
        var record = AccessLogParser.Parse(Line(agent: "\"Mozilla/5.0 (iPhone) Version/13.0 Mobile/15E148 Safari/604.1\"\""));

        Assert.Equal("Mozilla/5.0 (iPhone) Version/13.0 Mobile/15E148 Safari/604.1\"", record.UserAgent);
        Assert.Null(record.VersionId);
        Assert.Equal("hostid=", record.HostId);
    }

    [Fact]
    public void Raw_quote_inside_Request_URI_stays_in_the_value()
    {
        // cocoonlife/s3-log-parse issue #1: "GET /" HTTP/1.1"
        var record = AccessLogParser.Parse(Line(uri: "\"GET /\" HTTP/1.1\""));

        Assert.Equal("GET /\" HTTP/1.1", record.RequestUri);
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public void Quotes_and_spaces_in_Referer_and_User_Agent_do_not_shift_later_fields()
    {
        var record = AccessLogParser.Parse(Line(referer: "\"http://a/\"b c\"\"", agent: "\"x \"y\" - \"z\""));

        Assert.Equal("http://a/\"b c\"", record.Referer);
        Assert.Equal("x \"y\" - \"z", record.UserAgent);
        Assert.Equal("hostid=", record.HostId);
        Assert.Equal("SigV4", record.SignatureVersion);
    }

    [Fact]
    public void Bare_dash_and_quoted_dash_are_told_apart()
    {
        var internalRecord = AccessLogParser.Parse(Line(uri: "-", referer: "-", agent: "-"));
        var withoutHeaders = AccessLogParser.Parse(Line(uri: "\"-\"", referer: "\"-\"", agent: "\"-\""));

        Assert.Null(internalRecord.RequestUri);
        Assert.Null(internalRecord.Referer);
        Assert.Null(internalRecord.UserAgent);
        Assert.Equal(AccessLogRecord.AbsentHeader, withoutHeaders.RequestUri);
        Assert.Equal(AccessLogRecord.AbsentHeader, withoutHeaders.Referer);
        Assert.Equal(AccessLogRecord.AbsentHeader, withoutHeaders.UserAgent);
    }

    [Fact]
    public void Quoted_Referer_before_a_bare_User_Agent_ends_at_its_own_quote()
    {
        var record = AccessLogParser.Parse(Line(referer: "\"http://r/\"", agent: "-"));

        Assert.Equal("http://r/", record.Referer);
        Assert.Null(record.UserAgent);
    }

    [Fact]
    public void Unquoted_Referer_token_is_accepted_like_the_Athena_regex_does()
    {
        Assert.Equal("http://r/", AccessLogParser.Parse(Line(referer: "http://r/")).Referer);
    }

    [Fact]
    public void Key_is_decoded_per_operation_and_kept_raw_in_the_parsed_line()
    {
        Assert.True(AccessLogParser.TryParseLine(Line(), out var parsed, out _));
        var batch = AccessLogParser.Parse(Line().Replace("REST.GET.OBJECT a%253Db", "BATCH.DELETE.OBJECT a%3Db", StringComparison.Ordinal));

        Assert.Equal("a=b", parsed.Record.Key);
        Assert.Equal("a%253Db", parsed.RawKey);
        Assert.Equal("a=b", batch.Key);
    }

    [Fact]
    public void Raw_fields_are_what_Athena_captures()
    {
        Assert.True(AccessLogParser.TryParseLine(Line(), out var parsed, out _));

        Assert.Equal("06/Feb/2019:00:00:38 +0000", parsed.Raw(AccessLogField.Time));
        Assert.Equal("\"GET /photos/a%3Db HTTP/1.1\"", parsed.Raw(AccessLogField.RequestUri));
        Assert.Equal("\"-\"", parsed.Raw(AccessLogField.Referer));
        Assert.Equal("-", parsed.Raw(AccessLogField.Requester));
        Assert.Equal("200", parsed.Raw(AccessLogField.HttpStatus));
        Assert.Equal("-", parsed.Raw(AccessLogField.SourceRegion));
        Assert.Equal("TLSv1.2", parsed.RawSpan(AccessLogField.TlsVersion).ToString());
    }

    [Theory]
    [InlineData("2001:db8::8a2e:370:7334")]
    [InlineData("::1")]
    public void Accepts_IPv6_remote_addresses(string ip)
    {
        var record = AccessLogParser.Parse(Line().Replace(" 192.0.2.3 ", $" {ip} ", StringComparison.Ordinal));

        Assert.Equal(ip, record.RemoteIp);
    }

    [Theory]
    [InlineData("TLSV1.2")]
    [InlineData("TLSv1.3")]
    public void Keeps_TLS_version_as_written(string tls)
    {
        Assert.Equal(tls, AccessLogParser.Parse(Line().Replace("TLSv1.2", tls, StringComparison.Ordinal)).TlsVersion);
    }

    [Fact]
    public void Accepts_other_time_zones_as_the_same_instant()
    {
        var record = AccessLogParser.Parse(Line().Replace("[06/Feb/2019:00:00:38 +0000]", "[05/feb/2019:17:00:38 -0700]", StringComparison.Ordinal));

        Assert.Equal(new DateTimeOffset(2019, 2, 6, 0, 0, 38, TimeSpan.Zero), record.Time);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData(" ")]
    [InlineData("  \n")]
    public void Ignores_trailing_whitespace_and_line_ends(string ending)
    {
        Assert.Equal(AccessLogParser.Parse(Line()), AccessLogParser.Parse(Line() + ending));
    }

    [Theory]
    [InlineData("[06/Feb/2019:00:00:38]")]
    [InlineData("[06/Fev/2019:00:00:38 +0000]")]
    [InlineData("[30/Feb/2019:00:00:38 +0000]")]
    [InlineData("[06/Feb/2019:24:00:38 +0000]")]
    [InlineData("[06/Feb/2019:00:00:38 +1500]")]
    [InlineData("06/Feb/2019:00:00:38")]
    [InlineData("[01/Jan/0001:00:00:00 +0100]")]
    [InlineData("[31/Dec/9999:23:59:59 -0100]")]
    public void Rejects_a_bad_time_field(string time)
    {
        var line = Line().Replace("[06/Feb/2019:00:00:38 +0000]", time, StringComparison.Ordinal);

        Assert.False(AccessLogParser.TryParse(line, out _, out var error));
        Assert.StartsWith("bad time field", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"GET /photos/a%3Db HTTP/1.1\" 200 ", "- 2x0 ", "bad HTTP status field: expected a number or -, found '2x0'")]
    [InlineData(" 200 - 5 5 3 2 ", " 200 - 5x 5 3 2 ", "bad Bytes Sent field: expected a number or -, found '5x'")]
    [InlineData(" 200 - 5 5 3 2 ", " 200 - 5 -5 3 2 ", "bad Object Size field: expected a number or -, found '-5'")]
    [InlineData(" TLSv1.2 - - -", " TLSv1.2 - No -", "bad aclRequired field: expected Yes or -, found 'No'")]
    [InlineData("\"curl/8\"", "curl/8", "bad User-Agent field: expected a quoted string or -, found 'curl/8'")]
    public void Rejects_misaligned_fields_with_a_reason(string from, string to, string reason)
    {
        Assert.False(AccessLogParser.TryParse(Line().Replace(from, to, StringComparison.Ordinal), out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Rejects_an_unterminated_Request_URI()
    {
        var line = $"{Head} \"GET /x HTTP/1.1 200 - 5 5 3 2";

        Assert.False(AccessLogParser.TryParse(line, out _, out var error));
        Assert.StartsWith("unterminated Request-URI field", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty line")]
    [InlineData("just some text", "expected 18 or more fields, found 3")]
    public void Rejects_lines_that_are_not_records(string line, string reason)
    {
        Assert.False(AccessLogParser.TryParse(line, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Rejects_a_17_field_line()
    {
        var line = $"{Head} \"GET / HTTP/1.1\" 200 - 5 5 3 2 \"-\" \"curl/8\"";

        Assert.False(AccessLogParser.TryParse(line, out _, out var error));
        Assert.Equal("expected 18 or more fields, found 17", error);
    }

    [Fact]
    public void Parse_throws_a_format_exception_with_the_reason()
    {
        var e = Assert.Throws<FormatException>(() => AccessLogParser.Parse("a b c"));

        Assert.Equal("expected 18 or more fields, found 3", e.Message);
    }

    [Fact]
    public void Span_and_string_overloads_agree()
    {
        Assert.True(AccessLogParser.TryParse(Line().AsSpan(), out var fromSpan, out _));

        Assert.Equal(AccessLogParser.Parse(Line()), fromSpan);
    }

    [Fact]
    public void Repeated_values_share_one_string_instance_across_lines()
    {
        var first = AccessLogParser.Parse(Line());
        var second = AccessLogParser.Parse(Line());

        Assert.Same(first.Operation, second.Operation);
        Assert.Same(first.SignatureVersion, second.SignatureVersion);
        Assert.Same(first.TlsVersion, second.TlsVersion);
        Assert.NotSame(first.BucketOwner, second.BucketOwner);
    }
}
