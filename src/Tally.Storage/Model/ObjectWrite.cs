namespace Tally.Storage.Model;

/// <summary>
/// What a PUT (or multipart create) stores besides the bytes.
/// <paramref name="Checksums"/> is called once the body has been read to its end (trailing
/// checksums of aws-chunked bodies are only known then); it returns the x-amz-checksum-* values
/// to store, keyed by algorithm (CRC32, CRC32C, SHA1, SHA256, CRC64NVME), base64.
/// </summary>
public sealed record ObjectWrite(
    ObjectHeaders Headers,
    string OwnerCanonicalId,
    IReadOnlyDictionary<string, string> Tags,
    string StorageClass = "STANDARD",
    Func<IReadOnlyDictionary<string, string>>? Checksums = null);

public sealed record PartWrite(Func<IReadOnlyDictionary<string, string>>? Checksums = null);
