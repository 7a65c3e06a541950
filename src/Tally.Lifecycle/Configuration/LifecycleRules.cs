using Tally.Storage.Model;

namespace Tally.Lifecycle.Configuration;

/// <summary>
/// A bucket's lifecycle configuration (spec §6.2): its rules, validated, each with an ID, and the
/// <c>x-amz-transition-default-minimum-object-size</c> it was written with. Build one from XML with
/// <see cref="LifecycleConfigurationXml.Parse(ReadOnlySpan{byte}, string?)"/>; store it through
/// <see cref="LifecycleSettings"/>.
/// </summary>
public sealed record LifecycleRules(IReadOnlyList<LifecycleRule> Rules, string TransitionDefaultMinimumObjectSize = LifecycleRules.AllStorageClasses128K)
{
    /// <summary>spec §6.4: objects under 128 KB are never transitioned (the default since Sept 2024).</summary>
    public const string AllStorageClasses128K = "all_storage_classes_128K";

    /// <summary>spec §6.4: objects under 128 KB may still go to GLACIER / DEEP_ARCHIVE.</summary>
    public const string VariesByStorageClass = "varies_by_storage_class";

    /// <summary>spec §6.1: not adjustable.</summary>
    public const int MaxRules = 1000;

    /// <summary>
    /// The ID of the rule <see cref="ForLogBucket"/> makes for one source bucket's logs: setting
    /// it again replaces it, and the logs of other sources sharing the target keep their own.
    /// </summary>
    public static string LogRetentionRuleId(string sourceBucket) => "tally-log-retention-" + sourceBucket;

    /// <summary>
    /// The rule the seed recommends for a log bucket: <paramref name="sourceBucket"/>'s log objects
    /// under <paramref name="prefix"/> move to a cold class after <paramref name="coldAfterDays"/>
    /// and are deleted after <paramref name="expireAfterDays"/> (either may be null to leave that
    /// action out). The cold class stays readable, so the logs can still be queried: STANDARD_IA
    /// from 30 days on, GLACIER_IR below that (STANDARD_IA needs 30, spec §6.4). Throws
    /// S3Exception for a rule AWS would refuse (for example expiry not after the transition).
    /// </summary>
    public static LifecycleRule ForLogBucket(string sourceBucket, string prefix, int? coldAfterDays, int? expireAfterDays)
    {
        ArgumentNullException.ThrowIfNull(sourceBucket);
        ArgumentNullException.ThrowIfNull(prefix);
        var rule = new LifecycleRule
        {
            Id = LogRetentionRuleId(sourceBucket),
            // Log objects are small: a size filter of the rule's own lifts the default 128 KB
            // floor under which nothing transitions (spec §6.4).
            Filter = new LifecycleFilter { Form = LifecycleFilterForm.And, Prefix = prefix, ObjectSizeGreaterThan = 0 },
            Transitions = coldAfterDays is { } cold
                ? [new LifecycleTransition(cold, null, cold >= 30 ? StorageClasses.StandardIa : StorageClasses.GlacierIr)]
                : [],
            Expiration = expireAfterDays is { } expire ? new LifecycleExpiration(expire, null, null) : null,
        };
        LifecycleValidator.Validate(new LifecycleRules([rule]));
        return rule;
    }

    /// <summary>These rules with <paramref name="rule"/> added, replacing a rule with the same ID. Validated.</summary>
    public LifecycleRules WithRule(LifecycleRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var rules = Rules.Where(r => !string.Equals(r.Id, rule.Id, StringComparison.Ordinal)).Append(rule).ToList();
        var result = this with { Rules = rules };
        LifecycleValidator.Validate(result);
        return result;
    }
}

/// <summary>One <c>Rule</c> (spec §6.2). At least one action is set (validated).</summary>
public sealed record LifecycleRule
{
    public required string Id { get; init; }

    public bool Enabled { get; init; } = true;

    public LifecycleFilter Filter { get; init; } = LifecycleFilter.Everything;

    public LifecycleExpiration? Expiration { get; init; }

    public IReadOnlyList<LifecycleTransition> Transitions { get; init; } = [];

    public NoncurrentVersionExpiration? NoncurrentVersionExpiration { get; init; }

    public IReadOnlyList<NoncurrentVersionTransition> NoncurrentVersionTransitions { get; init; } = [];

    /// <summary><c>AbortIncompleteMultipartUpload/DaysAfterInitiation</c>.</summary>
    public int? AbortIncompleteMultipartUploadDays { get; init; }
}

/// <summary>Exactly one of the three is set (spec §6.2). <paramref name="Date"/> is a midnight UTC.</summary>
public sealed record LifecycleExpiration(int? Days, DateOnly? Date, bool? ExpiredObjectDeleteMarker);

/// <summary>Exactly one of <paramref name="Days"/> and <paramref name="Date"/> is set.</summary>
public sealed record LifecycleTransition(int? Days, DateOnly? Date, string StorageClass);

/// <summary>At least one is set (spec §6.2).</summary>
public sealed record NoncurrentVersionExpiration(int? NoncurrentDays, int? NewerNoncurrentVersions);

public sealed record NoncurrentVersionTransition(int NoncurrentDays, string StorageClass, int? NewerNoncurrentVersions);
