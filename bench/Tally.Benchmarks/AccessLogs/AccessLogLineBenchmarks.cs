using System.Buffers;
using BenchmarkDotNet.Attributes;
using Tally.AccessLogs.Records;

namespace Tally.Benchmarks.AccessLogs;

/// <summary>
/// Formatter and parser throughput on a mix of real AWS lines (NCBI, AWS docs, logstash, OTel;
/// spec §1.9): each benchmark handles the whole batch, so ns/op is per line.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1515 // BenchmarkDotNet requires public, unsealed benchmark classes.
public class AccessLogLineBenchmarks
#pragma warning restore CA1515
{
    public const int Lines = 8;

    private static readonly string[] Sample =
    [
        "7dd4dcfe9b004fb7433c61af3e87972f2e9477fa7f0760a02827f771b41b3455 sra-pub-src-2 [04/Jul/2020:23:06:22 +0000] 117.147.204.123 - BD3A6376C5C1895E REST.GET.OBJECT SRR9007819/P8MID3_S3_L004_R2_001.fastq.gz \"GET /SRR9007819/P8MID3_S3_L004_R2_001.fastq.gz HTTP/1.1\" 206 - 262144 2374570167 23 20 \"-\" \"Mozilla/5.0 (Linux; Android) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/34.0.1847.131 Safari/537.36\" - E51++TVLt9jeD19QD3831BmYENZQujev/M/iS+hQnsmZM5qJMhQkISOjGYeb3yETyf6bjbK1Ddw= - ECDHE-RSA-AES128-GCM-SHA256 - sra-pub-src-2.s3.amazonaws.com TLSv1.2 - -",
        "7dd4dcfe9b004fb7433c61af3e87972f2e9477fa7f0760a02827f771b41b3455 sra-pub-src-1 [26/May/2020:18:42:08 +0000] 130.14.28.7 arn:aws:iam::783971887864:user/ignatovi 9713E7798F9A44BA REST.COPY.OBJECT_GET SRR9211507/100100.mapped.1.fq.1 - - - - 351400 - - - - - QS2B/AbVsYy0J+Ce10atUPXDMX6vu6UOwEYF+EEovqNazgm8aO1xGpNN29+hN0KjCYv0VOTvsdI= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader sra-pub-sars-cov2.s3.amazonaws.com TLSv1.2 -",
        "7dd4dcfe9b004fb7433c61af3e87972f2e9477fa7f0760a02827f771b41b3455 sra-pub-src-1 [26/May/2020:16:00:16 +0000] 3.235.179.196 arn:aws:sts::784757538848:assumed-role/TulipRWAccess/i-00a5d1f5e0d3cdc67 1B6E92A991321AE8 REST.HEAD.OBJECT SRR9154112/*.fastq* \"HEAD /SRR9154112/%2A.fastq%2A HTTP/1.1\" 404 NoSuchKey 290 - 43 - \"-\" \"aws-cli/1.16.300 Python/2.7.16 Linux/4.14.177-139.254.amzn2.x86_64 botocore/1.13.36\" - 9cLyZqXg5N2mXetfQMtvMhhbczeIiHy+9UxgBSDV6UkpNCZxnUN7cNN/4TDc2oBlMk1DAUtG0GA= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader sra-pub-src-1.s3.amazonaws.com TLSv1.2 - Yes",
        "922194806485875312b252374a3644f1feecd16802a50d4729885c1d11e1fd37 sra-pub-run-5 [09/Mar/2020:22:53:57 +0000] 35.172.121.21 arn:aws:sts::783971887864:assumed-role/sra-developer-instance-profile-role/i-04a6132b8172af805 479B09DC662E4B67 REST.GET.BUCKET - \"GET /?list-type=2&delimiter=%2F&prefix=SRR11060177%2FSRR11060177.1&encoding-type=url HTTP/1.1\" 200 - 325 - 14 14 \"-\" \"linux64 sra-toolkit fastq-dump.2.9.1 (phid=noc7737000,libc=2.17)\" - 4588JL1XJI30m/MURh3Xoz4qVakHYt/u1JwJ/u4BvxAUCOFUfvPJAG/utO0+cBgipDArBig9kL4= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader sra-pub-run-5.s3.amazonaws.com TLSv1.2 - -",
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /amzn-s3-demo-bucket1?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1",
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DD6CC733AEXAMPLE REST.PUT.OBJECT s3-dg.pdf \"PUT /DOC-EXAMPLE-BUCKET1/s3-dg.pdf HTTP/1.1\" 200 - - 4406583 41754 28 \"-\" \"S3Console/0.4\" - 10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes",
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be photos [07/Mar/2024:23:59:05 +0000] 2001:db8::8a2e:370:7334 arn:aws:iam::123456789012:user/alice 3E57427F33A59F07 REST.PUT.OBJECT %25E6%2597%25A5%25E6%259C%25AC/a%253Db%2520c.txt \"PUT /photos/%E6%97%A5%E6%9C%AC/a%3Db%20c.txt HTTP/1.1\" 200 - - 52341 70 10 \"https://console.example/upload?x=1\" \"Mozilla/5.0 (iPhone) Version/13.0 Mobile/15E148 Safari/604.1\"\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 QueryString photos.s3.us-west-1.amazonaws.com TLSv1.3 - - us-west-1",
        "79a5 mybucket [12/May/2014:07:54:01 +0000] 10.0.1.2 - 7ACC4BE89EXAMPLE REST.GET.OBJECT foo/bar.html \"GET /foo/bar.html HTTP/1.1\" 304 - - 1718 10 - \"-\" \"Mozilla/5.0\" -",
    ];

    private readonly AccessLogRecord[] _records = [.. Sample.Select(AccessLogParser.Parse)];
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    [Benchmark(OperationsPerInvoke = Lines)]
    public int FormatToString()
    {
        var total = 0;
        foreach (var record in _records)
        {
            total += AccessLogFormatter.Format(record).Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int FormatToUtf8BufferWriter()
    {
        _buffer.ResetWrittenCount();
        foreach (var record in _records)
        {
            AccessLogFormatter.Format(record, _buffer);
            _buffer.Write("\n"u8);
        }

        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int ParseToRecord()
    {
        var total = 0;
        foreach (var line in Sample)
        {
            if (AccessLogParser.TryParse(line, out var record, out _))
            {
                total += record.HttpStatus ?? 0;
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int ParseKeepingRawFields()
    {
        var total = 0;
        foreach (var line in Sample)
        {
            if (AccessLogParser.TryParseLine(line, out var parsed, out _))
            {
                total += parsed.FieldCount;
            }
        }

        return total;
    }
}
