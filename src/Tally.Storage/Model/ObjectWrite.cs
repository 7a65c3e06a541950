namespace Tally.Storage.Model;

/// <summary>
/// What a PUT (or multipart create) stores besides the bytes.
/// <paramref name="Checksums"/> is called once the body has been read to its end (trailing
/// checksums of aws-chunked bodies are only known then); it returns the x-amz-checksum-* values
/// to store, keyed by algorithm (CRC32, CRC32C, SHA1, SHA256, CRC64NVME), base64.
/// <paramref name="Acl"/> is the ACL document the write sets (x-amz-acl / x-amz-grant-*), stored
/// with the new version in the same commit; null leaves the version at its owner's private default.
/// A multipart upload keeps it until CompleteMultipartUpload. <paramref name="Initiator"/> is, for
/// a multipart upload, who started it (an IAM user's ARN, a root user's canonical id): ListParts
/// and ListMultipartUploads name it apart from the owner; null means the owner.
/// </summary>
public sealed record ObjectWrite(
    ObjectHeaders Headers,
    string OwnerCanonicalId,
    IReadOnlyDictionary<string, string> Tags,
    string StorageClass = "STANDARD",
    Func<IReadOnlyDictionary<string, string>>? Checksums = null,
    string? Acl = null,
    string? Initiator = null);

public sealed record PartWrite(Func<IReadOnlyDictionary<string, string>>? Checksums = null);
