using Tally.Storage.Model;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// The access model before bucket policies and ACLs: log delivery may write into a target owned by
/// the source bucket's account (AWS's "predefined grant" for a same-owner target, DESIGN §4), and
/// every bucket is BucketOwnerEnforced, the default for buckets created since April 2023 (spec §5.3).
/// </summary>
public sealed class SameOwnerDeliveryAuthorizer : ILogDeliveryAuthorizer
{
    public Task<LogDeliveryDecision> AuthorizeAsync(BucketInfo source, BucketInfo target, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        return Task.FromResult(string.Equals(source.OwnerAccountId, target.OwnerAccountId, StringComparison.Ordinal)
            ? LogDeliveryDecision.Allow
            : LogDeliveryDecision.Deny("owner", $"bucket {target.Name} belongs to another account than bucket {source.Name}"));
    }

    public Task<bool> AclsDisabledAsync(BucketInfo target, CancellationToken ct) => Task.FromResult(true);
}
