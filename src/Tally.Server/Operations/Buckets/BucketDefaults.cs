using Tally.Security.Policies;
using Tally.Server.Operations.Access;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

/// <summary>
/// Creates a bucket with what every new bucket starts with, however it is created (PUT /bucket,
/// `tally logging enable`): S3 Block Public Access with all four settings on, as AWS does for every
/// new bucket since April 2023 (access-control-block-public-access.html). The block is stored only
/// for a bucket this call created; buckets that already exist keep what they have (no migration).
/// </summary>
public static class BucketDefaults
{
    /// <summary>The public access block a new bucket starts with.</summary>
    public static PublicAccessBlock PublicAccessBlock => PublicAccessBlock.All;

    /// <summary>
    /// Creates <paramref name="bucket"/> (BucketAlreadyExists / BucketAlreadyOwnedByYou as the store
    /// answers, leaving the existing bucket untouched) and stores the default public access block.
    /// </summary>
    public static async Task CreateAsync(IObjectStore store, IBucketSettingsStore settings, BucketInfo bucket, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(bucket);
        await store.CreateBucketAsync(bucket, ct);
        await settings.PutAsync(bucket.Name, BucketAccess.PublicAccessBlockKind, PublicAccessBlock.Serialize(), ct);
    }
}
