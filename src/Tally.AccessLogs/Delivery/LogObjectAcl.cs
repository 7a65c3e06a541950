using Tally.AccessLogs.Configuration;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// The ACL a delivered log object carries when its target has ACLs enabled: the target bucket's
/// owner, who owns the log object, with FULL_CONTROL ("The bucket owner is automatically granted
/// FULL_CONTROL to all logs", PutBucketLogging), then each of the configuration's TargetGrants
/// (spec §4.2, §5.3). The access model stores and evaluates it; this type only says what it holds.
/// </summary>
/// <param name="OwnerCanonicalId">The log object's owner: the target bucket's owner.</param>
/// <param name="Grants">The owner's FULL_CONTROL first, then the TargetGrants, CanonicalUser (<see cref="TargetGrant.Id"/>) or Group (<see cref="TargetGrant.Uri"/>).</param>
public sealed record LogObjectAcl(string OwnerCanonicalId, IReadOnlyList<TargetGrant> Grants)
{
    public const string FullControl = "FULL_CONTROL";

    public static LogObjectAcl For(string ownerCanonicalId, IReadOnlyList<TargetGrant>? targetGrants)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerCanonicalId);
        var grants = new List<TargetGrant> { new(GranteeType.CanonicalUser, ownerCanonicalId, null, null, null, FullControl) };

        // AWS resolves an e-mail grantee to its account's canonical user; Tally's accounts have no
        // e-mail addresses (an ACL naming one is UnresolvableGrantByEmailAddress), so such a grant names no one.
        grants.AddRange((targetGrants ?? []).Where(g => g.Type != GranteeType.AmazonCustomerByEmail));
        return new LogObjectAcl(ownerCanonicalId, grants);
    }
}
