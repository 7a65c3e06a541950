using System.Collections.Frozen;
using Tally.S3.Operations;

namespace Tally.AccessLogs.Records;

/// <summary>
/// Field values that repeat on nearly every line (operation names, signature and TLS versions,
/// cipher suites, common error codes). The parser hands out these shared instances instead of
/// allocating a new string per line, which matters when loading millions of lines.
/// </summary>
internal static class WellKnownValues
{
    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } = Build();

    // Every well-known value is short; longer text (owners, host ids, ARNs) skips the hash.
    public static string Get(ReadOnlySpan<char> text) =>
        text.Length <= 40 && Lookup.TryGetValue(text, out var shared) ? shared : new string(text);

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Build()
    {
        string[] others =
        [
            // spec §1.7, §2.2, §2.5: records without an API row of their own.
            "REST.COPY.OBJECT_GET", "REST.COPY.PART_GET", "REST.COPY.PART", "BATCH.DELETE.OBJECT", "REST.OPTIONS.PREFLIGHT",
            "WEBSITE.GET.OBJECT", "WEBSITE.HEAD.OBJECT", "S3.EXPIRE.OBJECT", "S3.CREATE.DELETEMARKER", "S3.TRANSITION_SIA.OBJECT",
            "S3.TRANSITION_ZIA.OBJECT", "S3.TRANSITION_INT.OBJECT", "S3.TRANSITION_GIR.OBJECT", "S3.TRANSITION.OBJECT",
            "S3.TRANSITION_GDA.OBJECT", "S3.DELETE.UPLOAD", "S3.RESTORE.OBJECT",
            "SigV2", "SigV4", "AuthHeader", "QueryString", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "TLSV1.1", "TLSV1.2", "TLSV1.3",
            "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-CHACHA20-POLY1305",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "AccessDenied", "NoSuchKey", "NoSuchBucket", "NoSuchUpload", "NoSuchBucketPolicy", "NoSuchTagSet",
            "NoSuchLifecycleConfiguration", "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidRange", "PreconditionFailed",
            "NotModified", "InternalError", "SlowDown", "AmazonS3", "Yes",
        ];
        return S3Operations.All.Select(o => o.LogOperation).Concat(others)
            .ToFrozenSet(StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
