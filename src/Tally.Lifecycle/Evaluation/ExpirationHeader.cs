using System.Globalization;
using Tally.Lifecycle.Configuration;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Evaluation;

/// <summary>
/// The <c>x-amz-expiration</c> header of PUT, GET and HEAD (spec §6.3): when an Expiration rule
/// applies to the object, <c>expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="&lt;url-encoded id&gt;"</c>.
/// </summary>
public static class ExpirationHeader
{
    public const string Name = "x-amz-expiration";

    /// <summary>The header value for <paramref name="info"/>, or null when no rule would expire it.</summary>
    public static string? For(LifecycleRules? rules, ObjectInfo info, LifecycleCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(calendar);
        if (rules is null)
        {
            return null;
        }

        var facts = ObjectFacts.From(info, calendar.ToLifecycleTime(info.LastModified));
        if (LifecycleEvaluator.Expiration(rules, facts) is not { } expiration)
        {
            return null;
        }

        var at = calendar.ToRealTime(expiration.Date);
        return "expiry-date=\"" + at.ToString("R", CultureInfo.InvariantCulture) + "\", rule-id=\"" + Uri.EscapeDataString(expiration.RuleId) + "\"";
    }
}
