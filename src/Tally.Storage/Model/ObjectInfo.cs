namespace Tally.Storage.Model;

/// <summary>
/// A stored object. ETag is quoted as on the wire ("hex" or "hex-N").
/// <paramref name="PartSizes"/> lists the part sizes of an object made by multipart upload
/// (for GET/HEAD ?partNumber=), null otherwise. <see cref="VersionId"/> is "null" for the null
/// version (every object of a bucket that never had versioning enabled).
/// </summary>
public sealed record ObjectInfo(
    string Bucket,
    string Key,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    ObjectHeaders Headers,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string> Checksums,
    string StorageClass,
    string OwnerCanonicalId,
    IReadOnlyList<long>? PartSizes)
{
    public string VersionId { get; init; } = ObjectVersion.NullId;
}

/// <summary>An object's metadata with an open, seekable stream of its bytes.</summary>
public sealed class ObjectRead(ObjectInfo info, Stream content) : IAsyncDisposable, IDisposable
{
    public ObjectInfo Info { get; } = info;

    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}
