namespace Tally.Storage.Model;

public sealed record BucketInfo(string Name, string OwnerAccountId, string OwnerCanonicalId, string Region, DateTimeOffset CreatedAt)
{
    /// <summary>Filled in by the store when the bucket is read; ignored by CreateBucket (a new bucket is Unversioned).</summary>
    public VersioningStatus Versioning { get; init; }
}
