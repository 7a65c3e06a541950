using Tally.Storage.Model;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// Whether log delivery (the service principal <c>logging.s3.amazonaws.com</c>) may write a log
/// object into a target bucket on behalf of a source bucket (DESIGN §4, spec §5). Asked at
/// PutBucketLogging time and again before every delivery, so a policy changed later blocks
/// delivery without losing records. Thread-safe.
/// </summary>
public interface ILogDeliveryAuthorizer
{
    /// <summary>
    /// Evaluates a PutObject of <paramref name="key"/> into <paramref name="target"/> with
    /// <c>aws:SourceArn</c> = the source bucket's ARN and <c>aws:SourceAccount</c> = its owner's account.
    /// </summary>
    Task<LogDeliveryDecision> AuthorizeAsync(BucketInfo source, BucketInfo target, string key, CancellationToken ct);

    /// <summary>Whether the target has ACLs disabled (Object Ownership BucketOwnerEnforced), which forbids TargetGrants (spec §5.3).</summary>
    Task<bool> AclsDisabledAsync(BucketInfo target, CancellationToken ct);
}

/// <summary>The answer for one delivery: allowed, or denied with a reason naming what denied it.</summary>
public sealed record LogDeliveryDecision(bool Allowed, string? DeniedBy = null, string? Reason = null)
{
    public static LogDeliveryDecision Allow { get; } = new(true);

    public static LogDeliveryDecision Deny(string deniedBy, string reason) => new(false, deniedBy, reason);
}
