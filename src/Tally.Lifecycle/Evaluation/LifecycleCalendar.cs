namespace Tally.Lifecycle.Evaluation;

/// <summary>
/// Lifecycle time. Normally it is real UTC time and a lifecycle day is a calendar day. With
/// <c>--lifecycle-day-seconds N</c> (as Ceph's debug interval, so that S3 test suites can run) one
/// lifecycle day lasts N real seconds: real time is mapped linearly onto a lifecycle timeline
/// that starts at <see cref="CompressedEpoch"/> at <c>anchor</c>, so the evaluator's midnight
/// rule keeps its meaning on the compressed timeline. Instants too far from the anchor to map
/// are clamped (they are then simply very old, or very far in the future).
/// </summary>
public sealed class LifecycleCalendar
{
    /// <summary>Where the anchor lands on a compressed timeline.</summary>
    public static readonly DateTimeOffset CompressedEpoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DateTimeOffset _anchor;
    private readonly double _scale;

    private LifecycleCalendar(TimeSpan dayLength, DateTimeOffset anchor)
    {
        DayLength = dayLength;
        _anchor = anchor;
        _scale = (double)TimeSpan.TicksPerDay / dayLength.Ticks;
    }

    /// <summary>Real days.</summary>
    public static LifecycleCalendar Standard { get; } = new(TimeSpan.FromDays(1), DateTimeOffset.UnixEpoch);

    public TimeSpan DayLength { get; }

    public bool IsCompressed => DayLength != TimeSpan.FromDays(1);

    /// <summary>
    /// Names the timeline: lifecycle dates of two calendars with different ids do not compare
    /// (the runner starts afresh when its saved progress was made on another timeline).
    /// </summary>
    public string Id => IsCompressed
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"compressed:{DayLength.Ticks}:{_anchor.UtcTicks}")
        : "standard";

    /// <summary>The real instant mapped to <see cref="CompressedEpoch"/> (the Unix epoch for real days).</summary>
    public DateTimeOffset Anchor => _anchor;

    /// <summary>
    /// A calendar whose days last <paramref name="dayLength"/>; the lifecycle midnights fall on
    /// multiples of it counted from the Unix epoch, the one nearest before <paramref name="now"/>
    /// being <see cref="CompressedEpoch"/>.
    /// </summary>
    public static LifecycleCalendar Compressed(TimeSpan dayLength, DateTimeOffset now)
    {
        if (dayLength <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dayLength), dayLength, "A lifecycle day must be longer than zero.");
        }

        if (dayLength == TimeSpan.FromDays(1))
        {
            return Standard;
        }

        var sinceEpoch = (now - DateTimeOffset.UnixEpoch).Ticks;
        var anchor = DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - (((sinceEpoch % dayLength.Ticks) + dayLength.Ticks) % dayLength.Ticks));
        return new LifecycleCalendar(dayLength, anchor);
    }

    public DateTimeOffset ToLifecycleTime(DateTimeOffset real)
    {
        if (!IsCompressed)
        {
            return real.ToUniversalTime();
        }

        var ticks = (real - _anchor).Ticks * _scale;
        var min = (DateTimeOffset.MinValue.UtcTicks - CompressedEpoch.UtcTicks) + TimeSpan.TicksPerDay * 400;
        var max = (DateTimeOffset.MaxValue.UtcTicks - CompressedEpoch.UtcTicks) - TimeSpan.TicksPerDay * 400;
        return CompressedEpoch.AddTicks((long)Math.Clamp(ticks, min, max));
    }

    /// <summary>The real instant at which lifecycle date <paramref name="date"/> begins.</summary>
    public DateTimeOffset ToRealTime(DateOnly date)
    {
        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (!IsCompressed)
        {
            return midnight;
        }

        return _anchor.AddTicks((long)((midnight - CompressedEpoch).Ticks / _scale));
    }

    /// <summary>The lifecycle date at real instant <paramref name="now"/>.</summary>
    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(ToLifecycleTime(now).UtcDateTime);

    /// <summary>The real instant the lifecycle day after <paramref name="now"/> begins (when the next run is due).</summary>
    public DateTimeOffset NextMidnight(DateTimeOffset now) => ToRealTime(Today(now).AddDays(1));
}
