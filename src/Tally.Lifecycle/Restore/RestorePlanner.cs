using System.Globalization;
using Tally.Core.Errors;
using Tally.Lifecycle.Evaluation;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Restore;

/// <summary>
/// Turns a RestoreObject request into the times storage records (spec §6.6): the copy is ready
/// after the delay of the request's tier for the object's storage class (<see cref="RestoreDelays"/>;
/// <c>--restore-delays</c>) and expires at the first lifecycle midnight at or after ready + Days
/// (AWS's expiry-date is a midnight). Also writes the <c>x-amz-restore</c> header.
/// </summary>
public sealed class RestorePlanner(RestoreDelays delays, LifecycleCalendar calendar, TimeProvider time)
{
    public const string HeaderName = "x-amz-restore";

    public RestoreDelays Delays { get; } = delays;

    /// <summary>
    /// The restore of an object of <paramref name="storageClass"/> (null when unknown: planned
    /// as GLACIER, and the store refuses what is not archived). Expedited from DEEP_ARCHIVE is
    /// refused with 403 InvalidObjectState: AWS offers no such retrieval and documents no error
    /// code for it, and this is its "operation is not valid for the object's storage class".
    /// </summary>
    public RestoreRequest Plan(RestoreObjectRequest request, string? storageClass)
    {
        ArgumentNullException.ThrowIfNull(request);
        var delay = Delays.For(request.Tier, storageClass)
            ?? throw S3Exception.With(S3Errors.InvalidObjectState, null, ("StorageClass", StorageClasses.DeepArchive));
        var now = time.GetUtcNow();
        var ready = now + delay;
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
