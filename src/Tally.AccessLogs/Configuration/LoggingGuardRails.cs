using System.Text;
using Tally.AccessLogs.Delivery;
using Tally.Core.Errors;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.AccessLogs.Configuration;

/// <summary>
/// The checks PutBucketLogging makes before a configuration is stored, with AWS's error codes and
/// messages (spec §4.4) and Tally's stricter rules (DESIGN §4): no self-logging, no cycles, and no
/// target whose policy would deny delivery right now.
/// </summary>
public sealed class LoggingGuardRails(IObjectStore store, LoggingRegistry registry, ILogDeliveryAuthorizer authorizer)
{
    /// <summary>spec §4.4: TargetPrefix longer than this is InvalidArgument "Field exceeds 800 bytes".</summary>
    public const int MaxPrefixBytes = 800;

    private static readonly string CrossLocationMessage = "Cross S3 location logging not allowed. ";

    public async Task ValidateAsync(BucketInfo source, LoggingConfiguration configuration, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(configuration);
        var targetName = configuration.TargetBucket;

        // spec §4.2: a TargetBucket shorter than 3 or longer than 255 characters is InvalidBucketName.
        if (targetName.Length is < 3 or > 255)
        {
            throw S3Exception.With(S3Errors.InvalidBucketName, null, ("BucketName", targetName));
        }

        if (Encoding.UTF8.GetByteCount(configuration.TargetPrefix) > MaxPrefixBytes)
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Field exceeds 800 bytes", ("ArgumentName", "TargetPrefix"), ("ArgumentValue", configuration.TargetPrefix));
        }

        // DESIGN §4: AWS accepts a bucket logging into itself and warns; every delivery would then be
        // logged and delivered again, forever, so Tally rejects it.
        if (string.Equals(targetName, source.Name, StringComparison.Ordinal))
        {
            throw Invalid(targetName, $"The target bucket for logging must be a different bucket: bucket {source.Name} cannot log into itself, because every log delivery would be logged and delivered again, forever. Choose another bucket as the target.");
        }

        var target = await store.GetBucketAsync(targetName, ct)
            ?? throw Invalid(targetName, S3Errors.InvalidTargetBucketForLogging.Message);

        if (!string.Equals(target.Region, source.Region, StringComparison.Ordinal))
        {
            // spec §4.4, §9.1: the wire spelling, 403, a trailing space, and the locations.
            var details = new List<(string, string)> { ("TargetBucketLocation", target.Region) };
            if (source.Region != "us-east-1")
            {
                details.Add(("SourceBucketLocation", source.Region));
            }

            throw S3Exception.With(S3Errors.CrossLocationLoggingProhibitted, CrossLocationMessage, [.. details]);
        }

        if (!string.Equals(target.OwnerAccountId, source.OwnerAccountId, StringComparison.Ordinal))
        {
            throw Invalid(targetName, "The owner for the bucket to be logged and the target bucket must be the same.");
        }

        var cycle = FindCycle(source.Name, targetName);
        if (cycle is not null)
        {
            throw Invalid(targetName, $"Logging bucket {source.Name} into bucket {targetName} would close a cycle of logging buckets ({string.Join(" -> ", cycle)}): every log delivery would be logged and delivered again, forever. Disable logging on one of them first.");
        }

        if (configuration.HasGrants && await authorizer.AclsDisabledAsync(target, ct))
        {
            throw new S3Exception(S3Errors.AccessControlListNotSupported, "Target grants not allowed for bucket owner enforced buckets");
        }

        // DESIGN §4: reject a configuration whose deliveries the target's policy would deny right
        // now (AWS accepts it and drops the logs silently, spec §9.2), naming what denies it.
        var probeKey = configuration.TargetPrefix + "probe";
        var decision = await authorizer.AuthorizeAsync(source, target, probeKey, ct);
        if (!decision.Allowed)
        {
            throw Invalid(targetName, $"Log delivery into bucket {targetName} would be denied: {decision.Reason}. Allow the service principal logging.s3.amazonaws.com to s3:PutObject into the target (tally logging enable writes such a policy).");
        }
    }

    /// <summary>The chain target → … → source when the target already (transitively) logs into the source.</summary>
    private List<string>? FindCycle(string source, string target)
    {
        var chain = new List<string> { source, target };
        var visited = new HashSet<string>(StringComparer.Ordinal) { source, target };
        var current = target;

        // Bounded: each step visits a new bucket, and there are finitely many.
        while (registry.Get(current) is { } next)
        {
            var nextTarget = next.Configuration.TargetBucket;
            if (string.Equals(nextTarget, source, StringComparison.Ordinal))
            {
                chain.Add(source);
                return chain;
            }

            if (!visited.Add(nextTarget))
            {
                return null;
            }

            chain.Add(nextTarget);
            current = nextTarget;
        }

        return null;
    }

    private static S3Exception Invalid(string targetBucket, string message) =>
        S3Exception.With(S3Errors.InvalidTargetBucketForLogging, message, ("TargetBucket", targetBucket));
}
