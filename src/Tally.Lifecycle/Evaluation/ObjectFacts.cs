using Tally.Storage.Model;

namespace Tally.Lifecycle.Evaluation;

/// <summary>
/// What the evaluator knows about one object version, times on the lifecycle timeline (see
/// <see cref="LifecycleCalendar"/>). The defaults describe the only version of an object in a
/// bucket without versioning.
/// </summary>
public sealed record ObjectFacts
{
    public required string Key { get; init; }

    public long Size { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string StorageClass { get; init; } = StorageClasses.Standard;

    /// <summary>Expiring the current version adds a delete marker instead of deleting (versioning Enabled or Suspended; spec §6.3).</summary>
    public bool VersionedBucket { get; init; }

    /// <summary>The current version (true) or a noncurrent one.</summary>
    public bool IsLatest { get; init; } = true;

    public bool IsDeleteMarker { get; init; }

    /// <summary>For a noncurrent version: when its successor was created (spec §6.3: noncurrent days count from then).</summary>
    public DateTimeOffset? NoncurrentSince { get; init; }

    /// <summary>For a noncurrent version: how many noncurrent versions of the key are newer than it.</summary>
    public int NewerNoncurrentVersions { get; init; }

    /// <summary>For a current delete marker: whether any noncurrent version remains under it (else it is an "expired object delete marker").</summary>
    public bool HasNoncurrentVersions { get; init; }

    public static ObjectFacts From(ObjectInfo info, DateTimeOffset lastModified) => new()
    {
        Key = info.Key,
        Size = info.Size,
        LastModified = lastModified,
        Tags = info.Tags,
        StorageClass = info.StorageClass,
    };
}

/// <summary>An incomplete multipart upload.</summary>
public sealed record UploadFacts(string Key, DateTimeOffset Initiated);
