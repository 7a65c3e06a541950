using System.Buffers;
using System.Text;
using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Tests.Records;

public sealed class AccessLogFormatterTests
{
    private static readonly AccessLogRecord Get = new()
    {
        BucketOwner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
        Bucket = "photos",
        Time = new DateTimeOffset(2024, 3, 7, 23, 59, 5, TimeSpan.Zero),
        RemoteIp = "192.0.2.3",
        Requester = "arn:aws:iam::123456789012:user/alice",
        RequestId = "3E57427F33A59F07",
        Operation = "REST.GET.OBJECT",
        Key = "2019/puppy.jpg",
        RequestUri = "GET /photos/2019/puppy.jpg HTTP/1.1",
        HttpStatus = 200,
        BytesSent = 2662992,
        ObjectSize = 3462992,
        TotalTime = 70,
        TurnAroundTime = 10,
        Referer = AccessLogRecord.AbsentHeader,
        UserAgent = "curl/8.5.0",
        HostId = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=",
        SignatureVersion = "SigV4",
        CipherSuite = "ECDHE-RSA-AES128-GCM-SHA256",
        AuthenticationType = "AuthHeader",
        HostHeader = "photos.s3.us-west-1.amazonaws.com",
        TlsVersion = "TLSv1.2",
        SourceRegion = "us-west-1",
    };

    [Fact]
    public void Formats_the_27_fields_in_AWS_order()
    {
        Assert.Equal(
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be photos [07/Mar/2024:23:59:05 +0000] 192.0.2.3 "
            + "arn:aws:iam::123456789012:user/alice 3E57427F33A59F07 REST.GET.OBJECT 2019/puppy.jpg \"GET /photos/2019/puppy.jpg HTTP/1.1\" "
            + "200 - 2662992 3462992 70 10 \"-\" \"curl/8.5.0\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= "
            + "SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader photos.s3.us-west-1.amazonaws.com TLSv1.2 - - us-west-1",
            AccessLogFormatter.Format(Get));
    }

    [Fact]
    public void Formats_time_in_UTC_with_English_three_letter_month()
    {
        var record = Get with { Time = new DateTimeOffset(2019, 12, 31, 22, 30, 0, TimeSpan.FromHours(-5)) };

        Assert.Contains(" [01/Jan/2020:03:30:00 +0000] ", AccessLogFormatter.Format(record), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_Bytes_Sent_as_dash_when_zero()
    {
        var line = AccessLogFormatter.Format(Get with { BytesSent = 0, ObjectSize = 0 });

        Assert.Contains(" 200 - - 0 70 10 ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_count_26_leaves_out_Source_region_and_18_ends_at_Version_Id()
    {
        var line26 = AccessLogFormatter.Format(Get, fieldCount: 26);
        var line18 = AccessLogFormatter.Format(Get, fieldCount: 18);

        Assert.EndsWith(" TLSv1.2 - -", line26, StringComparison.Ordinal);
        Assert.EndsWith(" \"curl/8.5.0\" -", line18, StringComparison.Ordinal);
        Assert.Equal(AccessLogFormatter.Format(Get), line26 + " us-west-1");
    }

    [Theory]
    [InlineData(17)]
    [InlineData(28)]
    public void Rejects_field_counts_outside_18_to_27(int fieldCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AccessLogFormatter.Format(Get, fieldCount));
    }

    [Fact]
    public void Internal_record_writes_bare_dashes_for_the_quoted_fields()
    {
        var copyGet = Get with
        {
            Operation = "REST.COPY.OBJECT_GET",
            RequestUri = null,
            HttpStatus = null,
            BytesSent = null,
            TotalTime = null,
            TurnAroundTime = null,
            Referer = null,
            UserAgent = null,
        };

        Assert.Contains(" REST.COPY.OBJECT_GET 2019/puppy.jpg - - - - 3462992 - - - - - s9lz", AccessLogFormatter.Format(copyGet), StringComparison.Ordinal);
    }

    [Fact]
    public void Lifecycle_record_matches_the_spec_example()
    {
        var expire = new AccessLogRecord
        {
            BucketOwner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
            Bucket = "amzn-s3-demo-bucket1",
            Time = new DateTimeOffset(2024, 3, 7, 3, 14, 2, TimeSpan.Zero),
            Requester = "AmazonS3",
            RequestId = "8A5E2C1D0F9B3E47",
            Operation = "S3.EXPIRE.OBJECT",
            Key = "logs/2024-01-01-00-00-00-0123456789ABCDEF",
            ObjectSize = 52341,
            HostId = "3Z0...",
        };

        Assert.Equal(
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [07/Mar/2024:03:14:02 +0000] - AmazonS3 "
            + "8A5E2C1D0F9B3E47 S3.EXPIRE.OBJECT logs/2024-01-01-00-00-00-0123456789ABCDEF - - - - 52341 - - - - - 3Z0... - - - - - - - -",
            AccessLogFormatter.Format(expire));
    }

    [Fact]
    public void Key_is_encoded_twice_for_REST_and_once_for_records_S3_writes_itself()
    {
        var rest = AccessLogFormatter.Format(Get with { Key = "a=b c" });
        var batch = AccessLogFormatter.Format(Get with { Key = "a=b c", Operation = "BATCH.DELETE.OBJECT" });

        Assert.Contains(" REST.GET.OBJECT a%253Db%2520c ", rest, StringComparison.Ordinal);
        Assert.Contains(" BATCH.DELETE.OBJECT a%3Db%20c ", batch, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotes_inside_User_Agent_and_Referer_are_written_raw_like_AWS()
    {
        var line = AccessLogFormatter.Format(Get with { UserAgent = "Safari/604.1\"", Referer = "http://x/?q=\"a\"" });

        Assert.Contains(" \"http://x/?q=\"a\"\" \"Safari/604.1\"\" ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_are_percent_encoded_so_a_record_stays_one_line()
    {
        var line = AccessLogFormatter.Format(Get with { UserAgent = "evil\r\n127.0.0.1 fake-record\u0000" });

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.Contains("\"evil%0D%0A127.0.0.1 fake-record%00\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_unquoted_value_is_written_as_dash_and_empty_quoted_value_as_two_quotes()
    {
        var line = AccessLogFormatter.Format(Get with { ErrorCode = string.Empty, UserAgent = string.Empty });

        Assert.Contains(" 200 - 2662992 ", line, StringComparison.Ordinal);
        Assert.Contains(" \"-\" \"\" - ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ASCII_is_written_as_UTF_8()
    {
        var record = Get with { UserAgent = "agent-日本-😀", Key = "日" };
        var writer = new ArrayBufferWriter<byte>();

        AccessLogFormatter.Format(record, writer);

        var text = Encoding.UTF8.GetString(writer.WrittenSpan);
        Assert.Contains("\"agent-日本-😀\"", text, StringComparison.Ordinal);
        Assert.Contains(" %25E6%2597%25A5 ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Buffer_writer_span_and_string_forms_write_the_same_bytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        AccessLogFormatter.Format(Get, writer);
        var span = new byte[AccessLogFormatter.GetMaxByteCount(Get)];

        Assert.True(AccessLogFormatter.TryFormat(Get, span, out var written));

        Assert.Equal(Encoding.UTF8.GetBytes(AccessLogFormatter.Format(Get)), writer.WrittenSpan.ToArray());
        Assert.Equal(writer.WrittenSpan.ToArray(), span[..written]);
    }

    [Fact]
    public void Try_format_refuses_a_buffer_that_may_be_too_small()
    {
        var span = new byte[AccessLogFormatter.GetMaxByteCount(Get) - 1];

        Assert.False(AccessLogFormatter.TryFormat(Get, span, out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Long_non_ASCII_key_round_trips()
    {
        var key = new string('ü', 1024);

        var record = AccessLogParser.Parse(AccessLogFormatter.Format(Get with { Key = key }));

        Assert.Equal(key, record.Key);
    }
}
