using FsCheck;
using FsCheck.Fluent;
using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Tests.Records;

/// <summary>
/// Arbitrary records for the round-trip properties. Values stay inside what the line format can
/// carry without ambiguity (documented on <see cref="AccessLogRecord"/>): unquoted fields are
/// non-empty tokens without spaces other than "-", Bytes Sent is never 0, time has whole seconds,
/// and a Referer never contains a quote followed by a space and the start of a User-Agent.
/// </summary>
public static class RecordGenerators
{
    private static readonly string[] KeyAtoms =
        ["a", "Z", "0", "-", "_", ".", "*", "/", "%", "%25", " ", "\"", "+", "=", "~", "?", "#", "&", "'", "é", "日", "😀", "\n", "\t"];

    private static readonly string[] TextAtoms =
        ["a", "B", "7", " ", " ", "\"", "-", "/", "(", ")", ";", ",", "é", "😀", "%", "=", ".", ":", "?", "&"];

    private static readonly string[] PathAtoms = ["a", "b", "/", "%2F", "\"", "?", "=", "&", "x-foo", "é", "-", "."];

    private static readonly string TokenAlphabet = "abcXYZ0189:/+=._-@";

    public static Arbitrary<AccessLogRecord> Record() => RecordGen.ToArbitrary();

    public static Gen<AccessLogRecord> RecordGen =>
        from owner in Token
        from bucket in Token
        from time in Time
        from ip in Gen.OneOf(Token, Gen.Elements("2001:db8::1", "::1", "192.0.2.3")).OrNull()
        from requester in Token.OrNull()
        from requestId in Token
        from operation in Gen.Elements("REST.GET.OBJECT", "REST.PUT.OBJECT", "WEBSITE.GET.OBJECT", "REST.COPY.OBJECT_GET", "BATCH.DELETE.OBJECT", "S3.EXPIRE.OBJECT", null)
        from key in Joined(KeyAtoms, 1, 12).Where(k => k != "-").OrNull()
        from uri in RequestUri
        from status in Gen.Choose(100, 599).Select(s => (int?)s).OrNullValue()
        from errorCode in Token.OrNull()
        from bytesSent in Long(1).OrNullValue()
        from objectSize in Long(0).OrNullValue()
        from totalTime in Long(0).OrNullValue()
        from turnAround in Long(0).OrNullValue()
        from referer in Referer
        from userAgent in Quoted(Joined(TextAtoms, 0, 20))
        from versionId in Token.OrNull()
        from hostId in Token.OrNull()
        from signature in Gen.Elements("SigV2", "SigV4", null)
        from cipher in Token.OrNull()
        from authType in Gen.Elements("AuthHeader", "QueryString", null)
        from host in Token.OrNull()
        from tls in Gen.Elements("TLSv1.2", "TLSV1.2", "TLSv1.3", null)
        from accessPoint in Token.OrNull()
        from acl in Gen.Elements(true, false)
        from region in Token.OrNull()
        select new AccessLogRecord
        {
            BucketOwner = owner,
            Bucket = bucket,
            Time = time,
            RemoteIp = ip,
            Requester = requester,
            RequestId = requestId,
            Operation = operation,
            Key = key,
            RequestUri = uri,
            HttpStatus = status,
            ErrorCode = errorCode,
            BytesSent = bytesSent,
            ObjectSize = objectSize,
            TotalTime = totalTime,
            TurnAroundTime = turnAround,
            Referer = referer,
            UserAgent = userAgent,
            VersionId = versionId,
            HostId = hostId,
            SignatureVersion = signature,
            CipherSuite = cipher,
            AuthenticationType = authType,
            HostHeader = host,
            TlsVersion = tls,
            AccessPointArn = accessPoint,
            AclRequired = acl,
            SourceRegion = region,
        };

    private static Gen<string> Token =>
        Gen.Choose(1, 16)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements(TokenAlphabet.ToCharArray()), n))
            .Select(chars => new string(chars))
            .Where(s => s != "-");

    private static Gen<DateTimeOffset> Time =>
        from seconds in Gen.Choose(0, int.MaxValue)
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        select DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static Gen<string?> RequestUri =>
        Quoted(
            from method in Gen.Elements("GET", "PUT", "HEAD", "DELETE", "POST")
            from target in Joined(PathAtoms, 0, 10)
            from version in Gen.Elements("HTTP/1.1", "HTTP/2.0", "HTTP/1.0")
            select $"{method} /{target} {version}");

    private static Gen<string?> Referer =>
        Quoted(Joined(TextAtoms, 0, 12).Where(r => !(r + "\"").Contains("\" \"", StringComparison.Ordinal) && !r.Contains("\" -", StringComparison.Ordinal)));

    /// <summary>A quoted field: null (bare dash), the absent-header dash, or a value.</summary>
    private static Gen<string?> Quoted(Gen<string> value) =>
        Gen.Frequency(
            (1, Gen.Constant<string?>(null)),
            (1, Gen.Constant<string?>(AccessLogRecord.AbsentHeader)),
            (6, value.Select(v => (string?)v)));

    private static Gen<string> Joined(string[] atoms, int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Elements(atoms), n)).Select(parts => string.Concat(parts));

    private static Gen<long> Long(int min) =>
        from high in Gen.Choose(0, 1000)
        from low in Gen.Choose(min, int.MaxValue)
        select (high * 1_000_000_000L) + low;

    private static Gen<T?> OrNullValue<T>(this Gen<T?> gen)
        where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (4, gen));

    private static Gen<T?> OrNullValue<T>(this Gen<T> gen)
        where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (4, gen.Select(v => (T?)v)));

    private static Gen<string?> OrNull(this Gen<string> gen) =>
        Gen.Frequency((1, Gen.Constant<string?>(null)), (4, gen.Select(v => (string?)v)));
}
