using System.Globalization;
using Tally.Security.Acls;

namespace Tally.Security.Policies;

/// <summary>Why log delivery into a target bucket is or is not allowed.</summary>
public enum LogDeliveryOutcome
{
    /// <summary>A statement of the target's bucket policy allows the logging principal.</summary>
    AllowedByPolicy,

    /// <summary>The target's ACL grants the LogDelivery group WRITE and READ_ACP (ACLs enabled only).</summary>
    AllowedByAcl,

    /// <summary>Nothing in policy or ACL speaks for it, but the caller vouches for a same-owner target (DESIGN §4, the "predefined grant").</summary>
    AllowedByDefault,

    /// <summary>A Deny statement of the target's bucket policy matches the delivery.</summary>
    DeniedByPolicy,

    /// <summary>Neither policy nor ACL allows it, and no default grant applies.</summary>
    NotGranted,
}

/// <summary>The answer for one delivery: <see cref="Statement"/> names the deciding statement (Sid, or Statement[i]) when a policy decided.</summary>
public sealed record LogDeliveryDecision(LogDeliveryOutcome Outcome, string? Statement)
{
    public bool IsAllowed => Outcome is LogDeliveryOutcome.AllowedByPolicy or LogDeliveryOutcome.AllowedByAcl or LogDeliveryOutcome.AllowedByDefault;

    /// <summary>One line for logs and status output.</summary>
    public string Reason => Outcome switch
    {
        LogDeliveryOutcome.AllowedByPolicy => $"allowed by bucket policy statement {Statement}",
        LogDeliveryOutcome.AllowedByAcl => "allowed by the LogDelivery group's ACL grant",
        LogDeliveryOutcome.AllowedByDefault => "allowed: target has the source bucket's owner",
        LogDeliveryOutcome.DeniedByPolicy => $"denied by bucket policy statement {Statement}",
        _ => "no bucket policy statement or ACL grant allows logging.s3.amazonaws.com to write",
    };
}

/// <summary>
/// The question log delivery asks (spec §5, DESIGN §4): may the service principal
/// <c>logging.s3.amazonaws.com</c> do <c>s3:PutObject</c> on <c>arn:aws:s3:::TARGET/KEY</c> with
/// <c>aws:SourceArn = arn:aws:s3:::SOURCE</c> and <c>aws:SourceAccount = the source owner's
/// account</c>? Pure and thread-safe.
/// <code>
/// LogDeliveryDecision LogDeliveryPermission.Evaluate(LogDeliveryRequest request)
/// LogDeliveryDecision LogDeliveryPermission.Evaluate(PolicyDocument? targetPolicy, string targetBucket, string targetKey,
///                                                    string sourceBucket, string sourceAccountId, DateTimeOffset now)
/// </code>
/// Order: an explicit Deny in the target policy that matches the delivery wins
/// (<see cref="LogDeliveryOutcome.DeniedByPolicy"/> with the statement's Sid); then an Allow
/// statement; then, where the target's ACLs are enabled, a LogDelivery group grant of WRITE and
/// READ_ACP (spec §5.2; FULL_CONTROL counts for either); then the default grant when
/// <see cref="LogDeliveryRequest.DefaultAllowed"/>; else <see cref="LogDeliveryOutcome.NotGranted"/>.
/// </summary>
public static class LogDeliveryPermission
{
    public const string Action = "s3:PutObject";

    public static LogDeliveryDecision Evaluate(LogDeliveryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TargetPolicy is not null)
        {
            var evaluation = PolicyEvaluator.Evaluate(request.TargetPolicy, ToPolicyRequest(request));
            if (evaluation.IsDeny)
            {
                return new LogDeliveryDecision(LogDeliveryOutcome.DeniedByPolicy, evaluation.Statement!.Label);
            }

            if (evaluation.IsAllow)
            {
                return new LogDeliveryDecision(LogDeliveryOutcome.AllowedByPolicy, evaluation.Statement!.Label);
            }
        }

        if (request.TargetAcl is not null && request.TargetOwnership != ObjectOwnership.BucketOwnerEnforced
            && request.TargetAcl.Grant(RequestPrincipal.LogDelivery, AclPermission.Write, ignorePublic: false) != PrincipalMatch.None
            && request.TargetAcl.Grant(RequestPrincipal.LogDelivery, AclPermission.ReadAcp, ignorePublic: false) != PrincipalMatch.None)
        {
            return new LogDeliveryDecision(LogDeliveryOutcome.AllowedByAcl, null);
        }

        return new LogDeliveryDecision(request.DefaultAllowed ? LogDeliveryOutcome.AllowedByDefault : LogDeliveryOutcome.NotGranted, null);
    }

    /// <summary>The policy-only form: the target's bucket policy (null: none), no ACL, no default grant.</summary>
    public static LogDeliveryDecision Evaluate(PolicyDocument? targetPolicy, string targetBucket, string targetKey, string sourceBucket, string sourceAccountId, DateTimeOffset now) =>
        Evaluate(new LogDeliveryRequest(targetBucket, targetKey, sourceBucket, sourceAccountId, now) { TargetPolicy = targetPolicy });

    /// <summary>The policy request a delivery is: the logging principal, s3:PutObject, the log object's ARN, the source's keys.</summary>
    public static PolicyRequest ToPolicyRequest(LogDeliveryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new PolicyContext()
            .Set("aws:SourceArn", PolicyRequest.BucketArn(request.SourceBucket))
            .Set("aws:SourceAccount", request.SourceAccountId)
            .Set("aws:PrincipalServiceName", RequestPrincipal.LogDeliveryService)
            .Set("aws:CurrentTime", request.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("aws:EpochTime", request.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Set("aws:SecureTransport", "true");
        return new PolicyRequest(RequestPrincipal.LogDelivery, Action, PolicyRequest.ObjectArn(request.TargetBucket, request.TargetKey), context);
    }
}

/// <summary>
/// One log delivery to judge. <paramref name="TargetKey"/> is the log object's key (prefix
/// included); <paramref name="SourceAccountId"/> the source bucket owner's account id.
/// </summary>
public sealed record LogDeliveryRequest(string TargetBucket, string TargetKey, string SourceBucket, string SourceAccountId, DateTimeOffset Now)
{
    /// <summary>The target bucket's policy, null when it has none.</summary>
    public PolicyDocument? TargetPolicy { get; init; }

    /// <summary>The target bucket's ACL, null when none is stored (the private default grants the group nothing).</summary>
    public AccessControlList? TargetAcl { get; init; }

    /// <summary>The target's Object Ownership; ACL grants count only when ACLs are enabled.</summary>
    public ObjectOwnership TargetOwnership { get; init; } = ObjectOwnership.BucketOwnerEnforced;

    /// <summary>Allow when neither policy nor ACL decides (DESIGN §4: a same-owner target is writable by default).</summary>
    public bool DefaultAllowed { get; init; }
}
