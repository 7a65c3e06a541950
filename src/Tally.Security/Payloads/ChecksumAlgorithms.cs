namespace Tally.Security.Payloads;

/// <summary>The additional checksum algorithms S3 accepts, named as in x-amz-checksum-algorithm.</summary>
public static class ChecksumAlgorithms
{
    public const string Crc32 = "CRC32";
    public const string Crc32C = "CRC32C";
    public const string Crc64Nvme = "CRC64NVME";
    public const string Sha1 = "SHA1";
    public const string Sha256 = "SHA256";

    public static IReadOnlyList<string> All { get; } = [Crc32, Crc32C, Crc64Nvme, Sha1, Sha256];

    /// <summary>The header (or trailer) carrying the algorithm's value, e.g. x-amz-checksum-crc32c.</summary>
    public static string HeaderName(string algorithm) => "x-amz-checksum-" + algorithm.ToLowerInvariant();

    /// <summary>Maps a name as clients send it (any case) to the canonical one, or null if unknown.</summary>
    public static string? Normalize(string? name) =>
        name is null ? null : All.FirstOrDefault(a => string.Equals(a, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Length in bytes of the decoded (base64) value.</summary>
    public static int DigestLength(string algorithm) => algorithm switch
    {
        Crc32 or Crc32C => 4,
        Crc64Nvme => 8,
        Sha1 => 20,
        Sha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm."),
    };
}
