using System.Globalization;
using System.Text;

namespace Tally.Analytics.Bench;

/// <summary>
/// Deterministic AWS access-log corpus: the same seed and size give the same bytes. The mix follows
/// what real logs show (spec §1, §2, §8): mostly GET/HEAD/PUT with some LIST, DELETE, multipart,
/// copy pairs, multi-object deletes with their BATCH records, lifecycle expirations; 2xx/3xx/4xx/5xx
/// statuses; anonymous, IAM user, assumed-role and canonical requesters; double-encoded keys with
/// spaces, '=', non-ASCII; IPv6; user agents with raw quotes; 27-, 26-, 25- and 18-field lines.
/// </summary>
internal sealed class CorpusGenerator(int seed)
{
    private static readonly string[] Buckets = ["prod-assets", "analytics-raw", "backups.example.com"];
    private static readonly string[] Owners = ["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", "7dd4dcfe9b004fb7433c61af3e87972f2e9477fa7f0760a02827f771b41b3455"];
    private static readonly string[] Requesters =
    [
        "-", "-", "-",
        "arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/deploy-bot",
        "arn:aws:sts::123456789012:assumed-role/DataPipeline/i-0abc123", "arn:aws:sts::123456789012:assumed-role/DataPipeline/i-0def456",
        "arn:aws:sts::210987654321:assumed-role/Analytics/athena-session", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
    ];

    private static readonly string[] Agents =
    [
        "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/s3.cp",
        "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1\"",
        "curl/8.5.0", "S3Console/0.4", "aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9+9 java/17.0.9",
        "rclone/v1.66.0", "\"quoted\" agent/1.0",
    ];

    private static readonly string[] KeyStems = ["images/2024/photo", "data/part-00042", "reports/Q1 summary", "logs/app=web/date=2024-03-01/events", "docs/résumé", "tmp/a+b", "index"];
    private static readonly string[] Extensions = [".jpg", ".parquet", ".pdf", ".json.gz", ".html", ""];

    private readonly Random _random = new(seed);
    private long _sequence;

    public long Lines { get; private set; }

    /// <summary>Writes files of about <paramref name="fileBytes"/> until <paramref name="totalBytes"/> are written.</summary>
    public void Write(string directory, long totalBytes, long fileBytes)
    {
        Directory.CreateDirectory(directory);
        long written = 0;
        var file = 0;
        var time = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var line = new StringBuilder(1024);
        while (written < totalBytes)
        {
            var path = Path.Combine(directory, $"{time:yyyy-MM-dd-HH-mm-ss}-{file++:X16}");
            using var output = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
            long inFile = 0;
            while (inFile < fileBytes && written + inFile < totalBytes)
            {
                time = time.AddMilliseconds(_random.Next(0, 40));
                foreach (var record in Records(time, line))
                {
                    output.Write(record);
                    output.Write('\n');
                    inFile += Encoding.UTF8.GetByteCount(record) + 1;
                    Lines++;
                }
            }

            written += inFile;
        }
    }

    private IEnumerable<string> Records(DateTime time, StringBuilder line)
    {
        var bucket = Pick(Buckets);
        var owner = Owners[Array.IndexOf(Buckets, bucket) % Owners.Length];
        var requester = Pick(Requesters);
        var ip = _random.Next(20) == 0 ? $"2001:db8:{_random.Next(0, 0xffff):x}::{_random.Next(1, 0xffff):x}" : $"{_random.Next(1, 224)}.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(1, 255)}";
        var key = Key();
        var roll = _random.Next(1000);
        switch (roll)
        {
            case < 550: yield return Request(line, time, owner, bucket, ip, requester, "REST.GET.OBJECT", key, "GET", GetStatus()); break;
            case < 650: yield return Request(line, time, owner, bucket, ip, requester, "REST.HEAD.OBJECT", key, "HEAD", GetStatus()); break;
            case < 770: yield return Request(line, time, owner, bucket, ip, requester, "REST.PUT.OBJECT", key, "PUT", WriteStatus()); break;
            case < 820: yield return Request(line, time, owner, bucket, ip, requester, "REST.GET.BUCKET", "-", "GET", WriteStatus()); break;
            case < 850: yield return Request(line, time, owner, bucket, ip, requester, "REST.DELETE.OBJECT", key, "DELETE", _random.Next(10) == 0 ? 403 : 204); break;
            case < 880: yield return Request(line, time, owner, bucket, ip, requester, "REST.PUT.PART", key, "PUT", 200); break;
            case < 885: yield return Request(line, time, owner, bucket, ip, requester, "REST.POST.UPLOADS", key, "POST", 200); break;
            case < 890: yield return Request(line, time, owner, bucket, ip, requester, "REST.POST.UPLOAD", key, "POST", 200); break;
            case < 900:
                yield return Request(line, time, owner, bucket, ip, requester, "REST.COPY.OBJECT", key, "PUT", 200);
                yield return Internal(line, time, owner, bucket, ip, requester, "REST.COPY.OBJECT_GET", Key(), "-", encodeTwice: true);
                break;
            case < 905:
                yield return Request(line, time, owner, bucket, ip, requester, "REST.POST.MULTI_OBJECT_DELETE", "-", "POST", 200);
                for (var i = _random.Next(1, 4); i > 0; i--)
                {
                    yield return Internal(line, time, owner, bucket, ip, requester, "BATCH.DELETE.OBJECT", Key(), "204", encodeTwice: false);
                }

                break;
            case < 915: yield return Internal(line, time, owner, bucket, "-", "AmazonS3", "S3.EXPIRE.OBJECT", Key(), "-", encodeTwice: false); break;
            case < 930: yield return Request(line, time, owner, bucket, ip, requester, "WEBSITE.GET.OBJECT", key, "GET", GetStatus()); break;
            case < 960: yield return Request(line, time, owner, bucket, ip, requester, "REST.GET.ACL", "-", "GET", WriteStatus()); break;
            case < 980: yield return Request(line, time, owner, bucket, ip, requester, "REST.GET.VERSIONING", "-", "GET", 200); break;
            default: yield return Request(line, time, owner, bucket, ip, requester, "REST.GET.LOGGING_STATUS", "-", "GET", 200); break;
        }
    }

    private int GetStatus() => _random.Next(100) switch
    {
        < 82 => 200,
        < 87 => 206,
        < 90 => 304,
        < 95 => 404,
        < 98 => 403,
        < 99 => 503,
        _ => 500,
    };

    private int WriteStatus() => _random.Next(100) switch
    {
        < 95 => 200,
        < 98 => 403,
        _ => 500,
    };

    private string Key()
    {
        var stem = Pick(KeyStems);
        return $"{stem}-{_random.Next(5000)}{Pick(Extensions)}";
    }

    private static string Encode(string key, bool twice)
    {
        var once = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'*' or (byte)'/')
            {
                once.Append((char)b);
            }
            else
            {
                once.Append(twice ? "%25" : "%").Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return once.ToString();
    }

    private string Request(StringBuilder line, DateTime time, string owner, string bucket, string ip, string requester, string operation, string key, string method, int status)
    {
        var anonymous = requester == "-";
        var error = status switch { 403 => "AccessDenied", 404 => "NoSuchKey", 500 => "InternalError", 503 => "SlowDown", _ => "-" };
        var size = _random.NextInt64(100, 50_000_000);
        var bytes = method is "GET" && status is 200 ? size : status is 206 ? Math.Min(size, 8_388_608) : status >= 400 ? _random.Next(200, 350) : 0;
        var total = _random.Next(1, 2000);
        var path = key == "-" ? $"/{bucket}?{operation.Split('.')[2].ToLowerInvariant()}" : $"/{bucket}/{Encode(key, twice: false)}";
        var query = _random.Next(50) == 0 ? "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc" : string.Empty;
        var tls = _random.Next(30) == 0 ? "-" : _random.Next(4) == 0 ? "TLSv1.3" : "TLSv1.2";
        var fields = _random.Next(100) switch { < 80 => 27, < 90 => 26, < 96 => 25, _ => 18 };
        line.Clear();
        line.Append(owner).Append(' ').Append(bucket).Append(' ')
            .Append('[').Append(time.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)).Append(" +0000] ")
            .Append(ip).Append(' ').Append(requester).Append(' ').Append(RequestId()).Append(' ').Append(operation).Append(' ')
            .Append(key == "-" ? "-" : Encode(key, twice: true)).Append(' ')
            .Append('"').Append(method).Append(' ').Append(path).Append(query).Append(" HTTP/1.1\" ")
            .Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(error).Append(' ')
            .Append(bytes == 0 ? "-" : bytes.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(key == "-" ? "-" : size.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(total.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(status >= 400 || _random.Next(5) == 0 ? "-" : _random.Next(0, total).ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(_random.Next(10) == 0 ? "\"https://www.example.com/page\"" : "\"-\"").Append(' ')
            .Append('"').Append(Pick(Agents)).Append("\" ")
            .Append(_random.Next(20) == 0 ? "3HL4kqtJvjVBH40Nrjfkd" : "-");
        if (fields > 18)
        {
            line.Append(' ').Append(HostId()).Append(' ')
                .Append(anonymous ? "-" : _random.Next(50) == 0 ? "SigV2" : "SigV4").Append(' ')
                .Append(tls == "-" ? "-" : "ECDHE-RSA-AES128-GCM-SHA256").Append(' ')
                .Append(anonymous ? "-" : query.Length > 0 ? "QueryString" : "AuthHeader").Append(' ')
                .Append(bucket).Append(".s3.us-east-1.amazonaws.com ").Append(tls);
            if (fields > 24)
            {
                line.Append(' ').Append(_random.Next(40) == 0 ? "arn:aws:s3:us-east-1:123456789012:accesspoint/ap1" : "-");
            }

            if (fields > 25)
            {
                line.Append(' ').Append(_random.Next(30) == 0 ? "Yes" : "-");
            }

            if (fields > 26)
            {
                line.Append(' ').Append(_random.Next(3) == 0 ? "eu-west-1" : "us-east-1");
            }
        }

        return line.ToString();
    }

    private string Internal(StringBuilder line, DateTime time, string owner, string bucket, string ip, string requester, string operation, string key, string status, bool encodeTwice)
    {
        line.Clear();
        line.Append(owner).Append(' ').Append(bucket).Append(' ')
            .Append('[').Append(time.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)).Append(" +0000] ")
            .Append(ip).Append(' ').Append(requester).Append(' ').Append(RequestId()).Append(' ').Append(operation).Append(' ')
            .Append(Encode(key, encodeTwice)).Append(" - ").Append(status).Append(" - - ")
            .Append(_random.NextInt64(100, 50_000_000).ToString(CultureInfo.InvariantCulture))
            .Append(" - - - - - ").Append(HostId()).Append(requester == "AmazonS3" ? " - - - - - - - -" : $" SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader {bucket}.s3.us-east-1.amazonaws.com TLSv1.2 - - -");
        return line.ToString();
    }

    private string RequestId() => (++_sequence * 2654435761 ^ (uint)seed).ToString("X16", CultureInfo.InvariantCulture);

    private string HostId()
    {
        Span<byte> bytes = stackalloc byte[57];
        _random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
