using System.Globalization;
using Tally.Lifecycle.Evaluation;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Restore;

/// <summary>
/// Turns a RestoreObject request into the times storage records (spec §6.6): the copy is ready
/// <see cref="Delay"/> after the request (AWS takes minutes to hours; Tally's delay is
/// configurable, <c>--restore-delay</c>) and expires at the first lifecycle midnight at or after
/// ready + Days (AWS's expiry-date is a midnight). Also writes the <c>x-amz-restore</c> header.
/// </summary>
public sealed class RestorePlanner(TimeSpan delay, LifecycleCalendar calendar, TimeProvider time)
{
    public const string HeaderName = "x-amz-restore";

    public TimeSpan Delay { get; } = delay;

    public RestoreRequest Plan(RestoreObjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var ready = now + Delay;
        return new RestoreRequest(request.Days, request.Tier, ready, Expiry(ready, request.Days), Expiry(now, request.Days));
    }

    /// <summary><c>ongoing-request="true"</c> while in progress; <c>ongoing-request="false", expiry-date="…"</c> once done; null without a restore.</summary>
    public string? Header(RestoreStatus? status)
    {
        if (status is null)
        {
            return null;
        }

        return status.IsOngoing(time.GetUtcNow())
            ? "ongoing-request=\"true\""
            : "ongoing-request=\"false\", expiry-date=\"" + status.ExpiresAt.ToString("R", CultureInfo.InvariantCulture) + "\"";
    }

    private DateTimeOffset Expiry(DateTimeOffset from, int days) =>
        calendar.ToRealTime(LifecycleEvaluator.DueDate(calendar.ToLifecycleTime(from), days));
}
