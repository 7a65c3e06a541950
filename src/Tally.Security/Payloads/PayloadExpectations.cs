using System.Globalization;
using Tally.Core.Errors;
using Tally.Security.SigV4;

namespace Tally.Security.Payloads;

/// <summary>
/// What a request declared about its body. <see cref="Length"/>: bytes expected (decoded);
/// <see cref="ContentMd5"/>: Content-MD5 (base64); <see cref="ContentSha256"/>: x-amz-content-sha256
/// (only a 64-hex value is checked); <see cref="Checksums"/>: x-amz-checksum-* header values by
/// algorithm; <see cref="Algorithms"/>: algorithms to compute and report; <see cref="Trailers"/>:
/// read at the end for x-amz-checksum-* trailers.
/// </summary>
public sealed record PayloadExpectations
{
    public long? Length { get; init; }

    public string? ContentMd5 { get; init; }

    public string? ContentSha256 { get; init; }

    public IReadOnlyDictionary<string, string> Checksums { get; init; } = new Dictionary<string, string>();

    public IReadOnlyCollection<string> Algorithms { get; init; } = [];

    public Func<IReadOnlyDictionary<string, string>>? Trailers { get; init; }

    /// <summary>
    /// Reads Content-Length (or, for aws-chunked, x-amz-decoded-content-length), Content-MD5,
    /// x-amz-content-sha256, x-amz-checksum-*, x-amz-sdk-checksum-algorithm and x-amz-trailer.
    /// </summary>
    public static PayloadExpectations FromHeaders(Func<string, string?> header, AwsChunkedReadStream? chunked = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var payloadHash = header("x-amz-content-sha256")?.Trim();
        var lengthHeader = chunked is not null || SigV4Constants.IsStreaming(payloadHash) ? "x-amz-decoded-content-length" : "content-length";
        long? length = long.TryParse(header(lengthHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var algorithm in ChecksumAlgorithms.All)
        {
            if (header(ChecksumAlgorithms.HeaderName(algorithm)) is { } value)
            {
                checksums[algorithm] = value;
            }
        }

        if (checksums.Count > 1)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }

        var algorithms = new List<string>(checksums.Keys);
        if (header("x-amz-sdk-checksum-algorithm") is { } sdkAlgorithm)
        {
            var normalized = ChecksumAlgorithms.Normalize(sdkAlgorithm)
                ?? throw new S3Exception(S3Errors.InvalidRequest, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
            algorithms.Add(normalized);
        }

        foreach (var trailer in (header("x-amz-trailer") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (trailer.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase))
            {
                algorithms.Add(ChecksumAlgorithms.Normalize(trailer["x-amz-checksum-".Length..])
                    ?? throw new S3Exception(S3Errors.InvalidRequest, "The value specified in the x-amz-trailer header is not supported"));
            }
        }

        return new PayloadExpectations
        {
            Length = length,
            ContentMd5 = header("content-md5"),
            ContentSha256 = payloadHash,
            Checksums = checksums,
            Algorithms = algorithms.Distinct().ToList(),
            Trailers = chunked is null ? null : () => chunked.Trailers,
        };
    }
}
