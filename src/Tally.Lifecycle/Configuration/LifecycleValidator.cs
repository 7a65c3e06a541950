using System.Globalization;
using Tally.Core.Errors;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Configuration;

/// <summary>
/// The checks S3 makes on a lifecycle configuration beyond the schema (spec §6.4, §6.5), with
/// AWS's codes and messages where they are known. The first fault is the answer: the rule count
/// and IDs first, then each rule in order.
/// </summary>
public static class LifecycleValidator
{
    /// <summary>spec §6.1: rule IDs are at most 255 characters.</summary>
    public const int MaxIdLength = 255;

    /// <summary>spec §6.5: a prefix is at most 1024 characters (the longest key).</summary>
    public const int MaxPrefixLength = 1024;

    /// <summary>The size bound S3 names in its message (1000 × 2^40 bytes).</summary>
    public const long MaxObjectSizeBound = 1_099_511_627_776_000;

    public const int MaxNewerNoncurrentVersions = 100;

    public static void Validate(LifecycleRules configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var rules = configuration.Rules;
        if (rules.Count is 0 or > LifecycleRules.MaxRules)
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule.Id.Length == 0)
            {
                continue;
            }

            if (rule.Id.Length > MaxIdLength)
            {
                throw Argument("ID length should not exceed allowed limit of 255", "ID", rule.Id);
            }

            // Not in the spec's table; AWS's message as several S3 implementations and COS's docs quote it.
            if (!ids.Add(rule.Id))
            {
                throw Argument("Rule ID must be unique. Found same ID for more than one rule", "ID", rule.Id);
            }
        }

        foreach (var rule in rules)
        {
            ValidateRule(rule);
        }
    }

    private static void ValidateRule(LifecycleRule rule)
    {
        var filter = rule.Filter;
        if (filter.Prefix is { Length: > MaxPrefixLength })
        {
            throw Request("The maximum size of a prefix is 1024");
        }

        if (rule.Expiration is null && rule.Transitions.Count == 0 && rule.NoncurrentVersionExpiration is null
            && rule.NoncurrentVersionTransitions.Count == 0 && rule.AbortIncompleteMultipartUploadDays is null)
        {
            throw Request("At least one action needs to be specified in a rule");
        }

        ValidateFilter(filter);

        if (rule.Expiration is { } expiration)
        {
            if (expiration.Days is { } days && days <= 0)
            {
                throw Argument("'Days' for Expiration action must be a positive integer", "Days", days);
            }

            if (expiration.ExpiredObjectDeleteMarker is not null && filter.HasTags)
            {
                throw Request("ExpiredObjectDeleteMarker cannot be specified with Tags.");
            }

            if (expiration.ExpiredObjectDeleteMarker is not null && filter.HasSize)
            {
                throw Request("ExpiredObjectDeleteMarker cannot be specified with Object Size.");
            }
        }

        if (rule.NoncurrentVersionExpiration is { } noncurrent)
        {
            if (noncurrent.NoncurrentDays is { } days && days <= 0)
            {
                throw Argument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", "NoncurrentDays", days);
            }

            ValidateNewer(noncurrent.NewerNoncurrentVersions, filter);
        }

        if (rule.AbortIncompleteMultipartUploadDays is { } abortDays)
        {
            if (abortDays <= 0)
            {
                throw Argument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", "DaysAfterInitiation", abortDays);
            }

            // spec §6.2: uploads have no tags or size to match yet.
            if (filter.HasTags)
            {
                throw Request("AbortIncompleteMultipartUpload cannot be specified with Tags.");
            }

            if (filter.HasSize)
            {
                throw Request("AbortIncompleteMultipartUpload cannot be specified with Object Size.");
            }
        }

        ValidateTransitions(rule);
        ValidateNoncurrentTransitions(rule);
    }

    private static void ValidateFilter(LifecycleFilter filter)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in filter.Tags)
        {
            if (!keys.Add(tag.Key))
            {
                throw Request("Duplicate Tag Keys are not allowed.");
            }
        }

        if (filter.ObjectSizeGreaterThan is { } greater && greater is < 0 or > MaxObjectSizeBound)
        {
            throw Request("'ObjectSizeGreaterThan' should be between 0 and 1099511627776000.");
        }

        if (filter.ObjectSizeLessThan is { } less && less is < 1 or > MaxObjectSizeBound)
        {
            throw Request("'ObjectSizeLessThan' should be between 1 and 1099511627776000.");
        }

        if (filter.ObjectSizeGreaterThan is { } low && filter.ObjectSizeLessThan is { } high && high <= low)
        {
            throw Request("'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.");
        }
    }

    private static void ValidateNewer(int? newer, LifecycleFilter filter)
    {
        if (newer is not { } count)
        {
            return;
        }

        if (count is <= 0 or > MaxNewerNoncurrentVersions)
        {
            throw Argument("'NewerNoncurrentVersions' must be a positive integer", "NewerNoncurrentVersions", count);
        }

        // spec §6.2: NewerNoncurrentVersions needs a Filter (Lifecycle V2), not the old rule-level Prefix.
        if (filter.Form == LifecycleFilterForm.RulePrefix)
        {
            throw Request("NewerNoncurrentVersions element can only be used in Lifecycle V2.");
        }
    }

    private static void ValidateTransitions(LifecycleRule rule)
    {
        var dated = rule.Expiration?.Date is not null;
        var counted = rule.Expiration?.Days is not null;
        var classes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var transition in rule.Transitions)
        {
            if (transition.Days is { } days)
            {
                if (days < 0)
                {
                    throw Argument("'Days' in Transition action must be nonnegative", "Days", days);
                }

                // spec §6.4 [O]: the message is AWS's; the code is reported as InvalidArgument.
                if (days < TransitionClasses.MinimumDays(transition.StorageClass))
                {
                    throw Argument($"'Days' in Transition action must be greater than or equal to 30 for storageClass '{transition.StorageClass}'", "Days", days);
                }
            }

            dated |= transition.Date is not null;
            counted |= transition.Days is not null;
            if (!classes.Add(transition.StorageClass))
            {
                throw Request("'StorageClass' must be different for 'Transition' actions in same 'Rule'");
            }
        }

        if (dated && counted)
        {
            throw Request(rule.Transitions.Any(t => t.Date is not null) && rule.Transitions.Any(t => t.Days is not null)
                ? "Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule"
                : "Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule");
        }

        // The waterfall (spec §6.4) in the order the transitions happen.
        var ordered = rule.Transitions.OrderBy(t => t.Days ?? t.Date!.Value.DayNumber).ToList();
        var current = StorageClasses.Standard;
        int? previousDay = null;
        foreach (var transition in ordered)
        {
            var day = transition.Days ?? transition.Date!.Value.DayNumber;
            if (previousDay == day)
            {
                throw Argument($"'Days' in the Transition actions for StorageClass '{current}' and '{transition.StorageClass}' must be at least one day apart", "StorageClass", transition.StorageClass);
            }

            if (!TransitionClasses.CanTransition(current, transition.StorageClass))
            {
                throw Argument($"Transition from storageClass '{current}' to storageClass '{transition.StorageClass}' is not supported", "StorageClass", transition.StorageClass);
            }

            // spec §6.4 [D]: an IA class is kept at least 30 days before the next transition.
            if (previousDay is { } before && TransitionClasses.MinimumDays(current) > 0 && day - before < TransitionClasses.MinimumDays(current))
            {
                throw Argument($"'Days' in the Transition action for StorageClass '{transition.StorageClass}' must be at least 30 days more than 'Days' in the Transition action for StorageClass '{current}'", "StorageClass", transition.StorageClass);
            }

            current = transition.StorageClass;
            previousDay = day;
        }

        var expiresOn = rule.Expiration?.Days ?? rule.Expiration?.Date?.DayNumber;
        if (expiresOn is { } expiry && previousDay is { } lastTransition && expiry <= lastTransition)
        {
            throw Argument("'Days' in the Expiration action must be greater than 'Days' in the Transition action", "Days", expiry);
        }
    }

    private static void ValidateNoncurrentTransitions(LifecycleRule rule)
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var transition in rule.NoncurrentVersionTransitions)
        {
            if (transition.NoncurrentDays < 0)
            {
                throw Argument("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative", "NoncurrentDays", transition.NoncurrentDays);
            }

            if (transition.NoncurrentDays < TransitionClasses.MinimumDays(transition.StorageClass))
            {
                throw Argument($"'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '{transition.StorageClass}'", "NoncurrentDays", transition.NoncurrentDays);
            }

            if (!classes.Add(transition.StorageClass))
            {
                throw Request("'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule'");
            }

            ValidateNewer(transition.NewerNoncurrentVersions, rule.Filter);
        }
    }

    private static S3Exception Request(string message) => new(S3Errors.InvalidRequest, message);

    private static S3Exception Argument(string message, string name, string value) =>
        S3Exception.With(S3Errors.InvalidArgument, message, ("ArgumentName", name), ("ArgumentValue", value));

    private static S3Exception Argument(string message, string name, int value) =>
        Argument(message, name, value.ToString(CultureInfo.InvariantCulture));
}
