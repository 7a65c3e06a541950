using Tally.Lifecycle.Configuration;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Evaluation;

/// <summary>
/// The lifecycle rules as a pure function: rules, facts about one object version (or upload) and
/// the lifecycle date → the one action due, or null (spec §6.3). No clock, no storage: the
/// runner supplies the date and carries the action out.
/// </summary>
public static class LifecycleEvaluator
{
    /// <summary>spec §6.4: the size under which the default setting keeps objects from transitioning (128 KB).</summary>
    public const long SmallObjectBytes = 128 * 1024;

    /// <summary>
    /// spec §6.3 / §9.16: an action N days after <paramref name="since"/> is due at the first
    /// midnight UTC at or after since + N days (created 1/15 10:30, 3 days ⇒ due 1/19).
    /// </summary>
    public static DateOnly DueDate(DateTimeOffset since, int days)
    {
        // Days is any positive int (as AWS accepts): past the calendar's end, never due.
        if (days >= (DateTime.MaxValue - since.UtcDateTime).TotalDays)
        {
            return DateOnly.MaxValue;
        }

        var at = since.UtcDateTime.AddDays(days);
        var date = DateOnly.FromDateTime(at);
        return at.TimeOfDay == TimeSpan.Zero ? date : date.AddDays(1);
    }

    public static LifecycleAction? Evaluate(LifecycleRules rules, ObjectFacts facts, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.IsLatest)
        {
            return facts.IsDeleteMarker ? EvaluateDeleteMarker(rules, facts, today) : EvaluateCurrent(rules, facts, today);
        }

        return EvaluateNoncurrent(rules, facts, today);
    }

    public static LifecycleAction? EvaluateUpload(LifecycleRules rules, UploadFacts upload, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(upload);
        LifecycleAction? best = null;
        foreach (var rule in rules.Rules)
        {
            if (rule.Enabled && rule.AbortIncompleteMultipartUploadDays is { } days && rule.Filter.MatchesKey(upload.Key))
            {
                var due = DueDate(upload.Initiated, days);
                if (due <= today && (best is null || due < best.DueDate))
                {
                    best = new LifecycleAction(LifecycleActionKind.AbortMultipartUpload, rule.Id, due);
                }
            }
        }

        return best;
    }

    /// <summary>
    /// The expiration that applies to a current object whether due or not, for the
    /// <c>x-amz-expiration</c> header (spec §6.3): the earliest date and its rule.
    /// </summary>
    public static (DateOnly Date, string RuleId)? Expiration(LifecycleRules rules, ObjectFacts facts)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(facts);
        (DateOnly Date, string RuleId)? best = null;
        foreach (var rule in rules.Rules)
        {
            if (Applies(rule, facts) && ExpirationDate(rule, facts.LastModified) is { } date && (best is null || date < best.Value.Date))
            {
                best = (date, rule.Id);
            }
        }

        return best;
    }

    private static LifecycleAction? EvaluateCurrent(LifecycleRules rules, ObjectFacts facts, DateOnly today)
    {
        LifecycleAction? expire = null;
        LifecycleAction? transition = null;
        foreach (var rule in rules.Rules)
        {
            if (!Applies(rule, facts))
            {
                continue;
            }

            if (ExpirationDate(rule, facts.LastModified) is { } due && due <= today && (expire is null || due < expire.DueDate))
            {
                var kind = facts.VersionedBucket ? LifecycleActionKind.CreateDeleteMarker : LifecycleActionKind.Expire;
                expire = new LifecycleAction(kind, rule.Id, due);
            }

            foreach (var t in rule.Transitions)
            {
                var transitionDue = t.Date ?? DueDate(facts.LastModified, t.Days!.Value);
                if (transitionDue <= today && MayTransition(rules, rule, facts, t.StorageClass) && Cheaper(t.StorageClass, transition))
                {
                    transition = new LifecycleAction(LifecycleActionKind.Transition, rule.Id, transitionDue, t.StorageClass);
                }
            }
        }

        // spec §6.3 (AWS "conflicts"): permanent deletion wins over transition; transition wins
        // over creating a delete marker.
        return expire?.Kind == LifecycleActionKind.Expire ? expire : transition ?? expire;
    }

    private static LifecycleAction? EvaluateNoncurrent(LifecycleRules rules, ObjectFacts facts, DateOnly today)
    {
        if (facts.NoncurrentSince is not { } since)
        {
            return null;
        }

        LifecycleAction? expire = null;
        LifecycleAction? transition = null;
        foreach (var rule in rules.Rules)
        {
            if (!Applies(rule, facts))
            {
                continue;
            }

            if (rule.NoncurrentVersionExpiration is { } noncurrent
                && KeepsFewer(noncurrent.NewerNoncurrentVersions, facts)
                && (noncurrent.NoncurrentDays is { } days ? DueDate(since, days) : DateOnly.FromDateTime(since.UtcDateTime)) is var due
                && due <= today
                && (expire is null || due < expire.DueDate))
            {
                expire = new LifecycleAction(LifecycleActionKind.ExpireNoncurrentVersion, rule.Id, due);
            }

            if (facts.IsDeleteMarker)
            {
                continue;
            }

            foreach (var t in rule.NoncurrentVersionTransitions)
            {
                var transitionDue = DueDate(since, t.NoncurrentDays);
                if (transitionDue <= today && KeepsFewer(t.NewerNoncurrentVersions, facts)
                    && MayTransition(rules, rule, facts, t.StorageClass) && Cheaper(t.StorageClass, transition))
                {
                    transition = new LifecycleAction(LifecycleActionKind.TransitionNoncurrentVersion, rule.Id, transitionDue, t.StorageClass);
                }
            }
        }

        return expire ?? transition;
    }

    /// <summary>
    /// spec §6.3: a current delete marker with no noncurrent version under it is an expired
    /// object delete marker; ExpiredObjectDeleteMarker removes it at once, Days/Date once due.
    /// </summary>
    private static LifecycleAction? EvaluateDeleteMarker(LifecycleRules rules, ObjectFacts facts, DateOnly today)
    {
        if (facts.HasNoncurrentVersions)
        {
            return null;
        }

        LifecycleAction? best = null;
        foreach (var rule in rules.Rules)
        {
            if (!Applies(rule, facts) || rule.Expiration is not { } expiration)
            {
                continue;
            }

            DateOnly? due = expiration.ExpiredObjectDeleteMarker == true
                ? DateOnly.FromDateTime(facts.LastModified.UtcDateTime)
                : ExpirationDate(rule, facts.LastModified);
            if (due is { } d && d <= today && (best is null || d < best.DueDate))
            {
                best = new LifecycleAction(LifecycleActionKind.RemoveExpiredDeleteMarker, rule.Id, d);
            }
        }

        return best;
    }

    private static bool Applies(LifecycleRule rule, ObjectFacts facts) =>
        rule.Enabled && rule.Filter.Matches(facts.Key, facts.Size, facts.Tags);

    private static DateOnly? ExpirationDate(LifecycleRule rule, DateTimeOffset lastModified) => rule.Expiration switch
    {
        { Days: { } days } => DueDate(lastModified, days),
        { Date: { } date } => date,
        _ => null,
    };

    /// <summary>NewerNoncurrentVersions keeps that many newer noncurrent versions whatever their age.</summary>
    private static bool KeepsFewer(int? newer, ObjectFacts facts) => newer is not { } keep || facts.NewerNoncurrentVersions >= keep;

    private static bool MayTransition(LifecycleRules rules, LifecycleRule rule, ObjectFacts facts, string target)
    {
        if (!TransitionClasses.CanTransition(facts.StorageClass, target))
        {
            return false;
        }

        // spec §6.4: small objects stay unless the rule's own size filter says otherwise.
        if (facts.Size >= SmallObjectBytes || rule.Filter.HasSize)
        {
            return true;
        }

        return string.Equals(rules.TransitionDefaultMinimumObjectSize, LifecycleRules.VariesByStorageClass, StringComparison.Ordinal)
            && target is StorageClasses.Glacier or StorageClasses.DeepArchive;
    }

    private static bool Cheaper(string storageClass, LifecycleAction? than) =>
        than is null || TransitionClasses.CostRank(storageClass) < TransitionClasses.CostRank(than.StorageClass!);
}
