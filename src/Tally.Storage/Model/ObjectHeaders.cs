namespace Tally.Storage.Model;

/// <summary>
/// The headers stored with an object and returned on GET/HEAD: system headers and user metadata
/// (x-amz-meta-* names without the prefix, lower-case).
/// </summary>
public sealed record ObjectHeaders(
    string? ContentType,
    string? CacheControl,
    string? ContentDisposition,
    string? ContentEncoding,
    string? ContentLanguage,
    string? Expires,
    IReadOnlyDictionary<string, string> UserMetadata)
{
    public static ObjectHeaders Empty { get; } = new(null, null, null, null, null, null, new Dictionary<string, string>());
}
