using System.Text.Json;
using System.Text.Json.Serialization;
using Tally.Storage.Model;

namespace Tally.Storage.Disk;

/// <summary>What a multipart upload remembers of its <see cref="ObjectWrite"/> (the checksum callback belongs to a request, not to the upload).</summary>
internal sealed record StoredUploadWrite(ObjectHeaders Headers, string OwnerCanonicalId, Dictionary<string, string> Tags, string StorageClass, string? Acl = null, string? Initiator = null);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ObjectHeaders))]
[JsonSerializable(typeof(List<long>))]
[JsonSerializable(typeof(StoredUploadWrite))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

/// <summary>The catalog's JSON columns: tag sets, user metadata, headers, checksums, part sizes.</summary>
internal static class CatalogJson
{
    internal const string EmptyObject = "{}";

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>(StringComparer.Ordinal);

    public static string Map(IReadOnlyDictionary<string, string>? map) =>
        map is null || map.Count == 0
            ? EmptyObject
            : JsonSerializer.Serialize(map as Dictionary<string, string> ?? new Dictionary<string, string>(map, StringComparer.Ordinal), CatalogJsonContext.Default.DictionaryStringString);

    public static IReadOnlyDictionary<string, string> Map(string json) =>
        json == EmptyObject ? EmptyMap : JsonSerializer.Deserialize(json, CatalogJsonContext.Default.DictionaryStringString) ?? EmptyMap;

    public static string Headers(ObjectHeaders headers) => JsonSerializer.Serialize(headers, CatalogJsonContext.Default.ObjectHeaders);

    public static ObjectHeaders Headers(string json) => JsonSerializer.Deserialize(json, CatalogJsonContext.Default.ObjectHeaders) ?? ObjectHeaders.Empty;

    public static string? Sizes(IReadOnlyList<long>? sizes) => sizes is null ? null : JsonSerializer.Serialize(sizes.ToList(), CatalogJsonContext.Default.ListInt64);

    public static IReadOnlyList<long>? Sizes(string? json) => json is null ? null : JsonSerializer.Deserialize(json, CatalogJsonContext.Default.ListInt64);

    public static string UploadWrite(ObjectWrite write) => JsonSerializer.Serialize(
        new StoredUploadWrite(write.Headers, write.OwnerCanonicalId, new Dictionary<string, string>(write.Tags, StringComparer.Ordinal), write.StorageClass, write.Acl, write.Initiator),
        CatalogJsonContext.Default.StoredUploadWrite);

    public static ObjectWrite UploadWrite(string json)
    {
        var stored = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.StoredUploadWrite)
            ?? throw new InvalidDataException("Empty multipart upload record.");
        return new ObjectWrite(stored.Headers, stored.OwnerCanonicalId, stored.Tags, stored.StorageClass, Acl: stored.Acl, Initiator: stored.Initiator);
    }
}
