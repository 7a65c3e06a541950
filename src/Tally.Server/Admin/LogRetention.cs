using System.Globalization;
using Tally.AccessLogs.Delivery;
using Tally.Lifecycle.Configuration;

namespace Tally.Server.Admin;

/// <summary>
/// What keeps a log bucket from growing forever (spec §6, the seed's advice): the lifecycle rules
/// of each logging target that cover its log objects, for `tally logs status` and
/// `tally logging enable --cold-after/--expire-after`.
/// </summary>
public static class LogRetention
{
    /// <summary><paramref name="status"/> with the retention rules of every target bucket it names.</summary>
    public static async Task<SpoolStatus> AddToAsync(SpoolStatus status, LifecycleSettings lifecycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(lifecycle);
        var retention = new List<LogRetentionRule>();
        foreach (var target in status.Buckets.Where(b => b.TargetBucket is not null).GroupBy(b => b.TargetBucket!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rules = await lifecycle.GetAsync(target.Key, ct).ConfigureAwait(false);
            var prefixes = target.Select(b => b.TargetPrefix ?? string.Empty).ToList();
            retention.AddRange((rules?.Rules ?? [])
                .Where(rule => prefixes.Any(prefix => Overlaps(rule.Filter.Prefix, prefix)))
                .Select(rule => Describe(target.Key, rule)));
        }

        return status with { Retention = retention };
    }

    public static LogRetentionRule Describe(string targetBucket, LifecycleRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var cold = rule.Transitions.FirstOrDefault(t => t.Days is not null);
        return new LogRetentionRule(
            targetBucket,
            rule.Id,
            rule.Enabled,
            rule.Filter.Prefix,
            cold?.Days,
            cold?.StorageClass,
            rule.Expiration?.Days,
            Summary(rule));
    }

    /// <summary>A rule's prefix covers some of the log objects under <paramref name="logPrefix"/> (or all of them).</summary>
    private static bool Overlaps(string? rulePrefix, string logPrefix) =>
        string.IsNullOrEmpty(rulePrefix)
        || logPrefix.StartsWith(rulePrefix, StringComparison.Ordinal)
        || rulePrefix.StartsWith(logPrefix, StringComparison.Ordinal);

    private static string Summary(LifecycleRule rule)
    {
        var parts = new List<string>();
        foreach (var transition in rule.Transitions)
        {
            parts.Add("to " + transition.StorageClass + " " + When(transition.Days, transition.Date));
        }

        if (rule.Expiration is { } expiration)
        {
            parts.Add(expiration.ExpiredObjectDeleteMarker is true ? "remove expired delete markers" : "expire " + When(expiration.Days, expiration.Date));
        }

        foreach (var transition in rule.NoncurrentVersionTransitions)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"noncurrent to {transition.StorageClass} after {transition.NoncurrentDays} days"));
        }

        if (rule.NoncurrentVersionExpiration is { } noncurrent)
        {
            parts.Add(noncurrent.NoncurrentDays is { } days
                ? string.Create(CultureInfo.InvariantCulture, $"noncurrent expire after {days} days")
                : string.Create(CultureInfo.InvariantCulture, $"keep {noncurrent.NewerNoncurrentVersions} noncurrent versions"));
        }

        if (rule.AbortIncompleteMultipartUploadDays is { } abort)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"abort uploads after {abort} days"));
        }

        return string.Join(", ", parts) + (rule.Enabled ? string.Empty : " (disabled)");
    }

    private static string When(int? days, DateOnly? date) =>
        days is { } d ? string.Create(CultureInfo.InvariantCulture, $"after {d} days") : string.Create(CultureInfo.InvariantCulture, $"on {date:yyyy-MM-dd}");
}
