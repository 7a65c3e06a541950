using Tally.AccessLogs.Delivery;
using Tally.Security.Acls;
using Tally.Security.Policies;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Logging;

/// <summary>
/// Log delivery judged by the target bucket's access documents (DESIGN §4, spec §5): an explicit
/// Deny in its bucket policy that matches the delivery (<c>aws:SourceArn</c>,
/// <c>aws:SourceAccount</c> of the source) blocks it and is named; an Allow statement or, where
/// ACLs are enabled, the LogDelivery group's WRITE + READ_ACP allows it; otherwise a target owned
/// by the source's account is writable by default (the "predefined grant").
/// </summary>
public sealed class PolicyLogDeliveryAuthorizer(IBucketSettingsStore settings, TimeProvider time) : ILogDeliveryAuthorizer
{
    // Settings kinds of the access model (Operations/Access/BucketAccess).
    private const string PolicyKind = "policy";
    private const string AclKind = "acl";
    private const string OwnershipKind = "ownership";

    public async Task<AccessLogs.Delivery.LogDeliveryDecision> AuthorizeAsync(BucketInfo source, BucketInfo target, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var policyJson = await settings.GetAsync(target.Name, PolicyKind, ct);
        var ownership = Ownership(await settings.GetAsync(target.Name, OwnershipKind, ct));
        var aclDocument = ownership == ObjectOwnership.BucketOwnerEnforced ? null : await settings.GetAsync(target.Name, AclKind, ct);
        var request = new LogDeliveryRequest(target.Name, key, source.Name, source.OwnerAccountId, time.GetUtcNow())
        {
            TargetPolicy = policyJson is null ? null : PolicyDocument.ParseBucketPolicy(policyJson, target.Name),
            TargetAcl = aclDocument is null ? null : AccessControlList.Deserialize(aclDocument),
            TargetOwnership = ownership,
            DefaultAllowed = string.Equals(source.OwnerAccountId, target.OwnerAccountId, StringComparison.Ordinal),
        };
        var decision = LogDeliveryPermission.Evaluate(request);
        return decision.IsAllowed
            ? AccessLogs.Delivery.LogDeliveryDecision.Allow
            : AccessLogs.Delivery.LogDeliveryDecision.Deny(decision.Statement ?? decision.Outcome.ToString(), $"{decision.Reason} of bucket {target.Name}");
    }

    public async Task<bool> AclsDisabledAsync(BucketInfo target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Ownership(await settings.GetAsync(target.Name, OwnershipKind, ct)) == ObjectOwnership.BucketOwnerEnforced;
    }

    private static ObjectOwnership Ownership(string? document) => document switch
    {
        null or "BucketOwnerEnforced" => ObjectOwnership.BucketOwnerEnforced,
        "BucketOwnerPreferred" => ObjectOwnership.BucketOwnerPreferred,
        _ => ObjectOwnership.ObjectWriter,
    };
}
