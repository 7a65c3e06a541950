namespace Tally.Storage.Model;

public sealed record BucketInfo(string Name, string OwnerAccountId, string OwnerCanonicalId, string Region, DateTimeOffset CreatedAt);
