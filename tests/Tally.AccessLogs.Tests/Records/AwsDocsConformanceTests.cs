using Tally.AccessLogs.Records;
using Tally.AccessLogs.Tests.Conformance;

namespace Tally.AccessLogs.Tests.Records;

/// <summary>
/// The AWS documentation's example records (conformance/awsdocs-s3-userguide). The page explains
/// each field with these values; the expected records below are transcribed from the lines and
/// that explanation (spec §1.2, §1.9).
/// </summary>
public sealed class AwsDocsConformanceTests
{
    private static readonly string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

    private static readonly AccessLogRecord Versioning = new()
    {
        BucketOwner = Owner,
        Bucket = "DOC-EXAMPLE-BUCKET1",
        Time = new DateTimeOffset(2019, 2, 6, 0, 0, 38, TimeSpan.Zero),
        RemoteIp = "192.0.2.3",
        Requester = Owner,
        RequestId = "3E57427F3EXAMPLE",
        Operation = "REST.GET.VERSIONING",
        Key = null,
        RequestUri = "GET /DOC-EXAMPLE-BUCKET1?versioning HTTP/1.1",
        HttpStatus = 200,
        ErrorCode = null,
        BytesSent = 113,
        ObjectSize = null,
        TotalTime = 7,
        TurnAroundTime = null,
        Referer = AccessLogRecord.AbsentHeader,
        UserAgent = "S3Console/0.4",
        VersionId = null,
        HostId = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=",
        SignatureVersion = "SigV4",
        CipherSuite = "ECDHE-RSA-AES128-GCM-SHA256",
        AuthenticationType = "AuthHeader",
        HostHeader = "DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com",
        TlsVersion = "TLSV1.2",
        AccessPointArn = "arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP",
        AclRequired = true,
        SourceRegion = null,
    };

    /// <summary>The current page's one 27-field example: the first record again, in a renamed bucket, with Source Region.</summary>
    private static readonly AccessLogRecord Current27Field = Versioning with
    {
        Bucket = "amzn-s3-demo-bucket1",
        RequestUri = "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1",
        HostHeader = "amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com",
        SourceRegion = "us-east-1",
    };

    public static TheoryData<int, AccessLogRecord> Examples() => new()
    {
        { 1, Versioning },
        {
            2, Versioning with
            {
                RequestId = "891CE47D2EXAMPLE",
                Operation = "REST.GET.LOGGING_STATUS",
                RequestUri = "GET /DOC-EXAMPLE-BUCKET1?logging HTTP/1.1",
                BytesSent = 242,
                TotalTime = 11,
                HostId = "9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234=",
                AccessPointArn = null,
                AclRequired = false,
            }
        },
        {
            3, Versioning with
            {
                RequestId = "A1206F460EXAMPLE",
                Operation = "REST.GET.BUCKETPOLICY",
                RequestUri = "GET /DOC-EXAMPLE-BUCKET1?policy HTTP/1.1",
                HttpStatus = 404,
                ErrorCode = "NoSuchBucketPolicy",
                BytesSent = 297,
                TotalTime = 38,
                HostId = "BNaBsXZQQDbssi6xMBdBU2sLt+Yf5kZDmeBUP35sFoKa3sLLeMC78iwEIWxs99CRUrbS4n11234=",
                AccessPointArn = null,
                AclRequired = true,
            }
        },
        {
            4, Versioning with
            {
                Time = new DateTimeOffset(2019, 2, 6, 0, 1, 0, TimeSpan.Zero),
                RequestId = "7B4A0FABBEXAMPLE",
                TotalTime = 33,
                HostId = "Ke1bUcazaN1jWuUlPJaxF64cQVpUEhoZKEG/hmy/gijN/I1DeWqDfFvnpybfEseEME/u7ME1234=",
                AccessPointArn = null,
                AclRequired = false,
            }
        },
        {
            5, Versioning with
            {
                Time = new DateTimeOffset(2019, 2, 6, 0, 1, 57, TimeSpan.Zero),
                RequestId = "DD6CC733AEXAMPLE",
                Operation = "REST.PUT.OBJECT",
                Key = "s3-dg.pdf",
                RequestUri = "PUT /DOC-EXAMPLE-BUCKET1/s3-dg.pdf HTTP/1.1",
                BytesSent = null,
                ObjectSize = 4406583,
                TotalTime = 41754,
                TurnAroundTime = 28,
                HostId = "10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234=",
                CipherSuite = "ECDHE-RSA-AES128-SHA",
                AccessPointArn = null,
                AclRequired = true,
            }
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Documentation_example_parses_to_the_documented_values(int number, AccessLogRecord expected)
    {
        var line = ConformanceFiles.ReadLines("awsdocs-s3-userguide/LogFormat-examples.log")[number - 1];

        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);

        Assert.Equal(expected, parsed.Record);
        Assert.Equal(26, parsed.FieldCount);
    }

    [Fact]
    public void Current_27_field_example_parses_with_source_region()
    {
        var line = Current27FieldLine();

        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);

        Assert.Equal(Current27Field, parsed.Record);
        Assert.Equal(27, parsed.FieldCount);
    }

    [Fact]
    public void Formatting_the_documented_record_writes_the_documented_27_field_line()
    {
        var line = Current27FieldLine();

        Assert.Equal(line, AccessLogFormatter.Format(Current27Field));
    }

    [Fact]
    public void Documentation_line_with_a_trailing_space_parses_like_the_others()
    {
        var line = ConformanceFiles.ReadLines("awsdocs-s3-userguide/LogFormat-examples.log")[2];

        Assert.EndsWith("Yes ", line, StringComparison.Ordinal);
        Assert.True(AccessLogParser.TryParseLine(line, out var parsed, out var error), error);
        Assert.Equal(26, parsed.FieldCount);
        Assert.True(parsed.Record.AclRequired);
    }

    private static string Current27FieldLine() =>
        ConformanceFiles.ReadText("awsdocs-s3-userguide/current-docs-27field-example.log").TrimEnd('\n');
}
