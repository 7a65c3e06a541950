namespace Tally.Storage;

/// <summary>
/// A bucket's configuration documents by kind (logging, lifecycle, policy, acl, ownership,
/// public-access-block, versioning, tagging). Documents are validated by the project that owns
/// them before they get here; the store keeps them as text. Deleted with the bucket.
/// Get of a missing document returns null; Put/Delete on a missing bucket throw NoSuchBucket.
/// </summary>
public interface IBucketSettingsStore
{
    Task<string?> GetAsync(string bucket, string kind, CancellationToken ct);

    Task PutAsync(string bucket, string kind, string document, CancellationToken ct);

    Task DeleteAsync(string bucket, string kind, CancellationToken ct);

    /// <summary>Every bucket that has a document of this kind (for example every bucket with logging configured).</summary>
    Task<IReadOnlyList<(string Bucket, string Document)>> ListAsync(string kind, CancellationToken ct);
}
