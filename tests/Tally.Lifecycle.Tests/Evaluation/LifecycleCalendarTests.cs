using Tally.Lifecycle.Evaluation;

namespace Tally.Lifecycle.Tests.Evaluation;

public sealed class LifecycleCalendarTests
{
    [Fact]
    public void Standard_calendar_is_real_UTC_time()
    {
        var now = new DateTimeOffset(2024, 5, 6, 23, 59, 59, TimeSpan.FromHours(2));

        Assert.Equal(new DateOnly(2024, 5, 6), LifecycleCalendar.Standard.Today(now));
        Assert.Equal(now, LifecycleCalendar.Standard.ToLifecycleTime(now));
        Assert.Equal(new DateTimeOffset(2024, 5, 7, 0, 0, 0, TimeSpan.Zero), LifecycleCalendar.Standard.NextMidnight(now));
    }

    [Fact]
    public void Compressed_day_lasts_the_given_seconds_and_midnights_fall_on_its_multiples()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_003);
        var calendar = LifecycleCalendar.Compressed(TimeSpan.FromSeconds(10), start);

        var today = calendar.Today(start);
        Assert.Equal(today, calendar.Today(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        Assert.Equal(today, calendar.Today(DateTimeOffset.FromUnixTimeSeconds(1_700_000_009)));
        Assert.Equal(today.AddDays(1), calendar.Today(DateTimeOffset.FromUnixTimeSeconds(1_700_000_010)));
        Assert.Equal(today.AddDays(3), calendar.Today(DateTimeOffset.FromUnixTimeSeconds(1_700_000_035)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_010), calendar.NextMidnight(start));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_030), calendar.ToRealTime(today.AddDays(3)));
    }

    [Fact]
    public void Compressed_days_make_the_midnight_rule_act_after_the_right_number_of_seconds()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var calendar = LifecycleCalendar.Compressed(TimeSpan.FromSeconds(2), start);
        var created = start.AddSeconds(0.5);

        var due = LifecycleEvaluator.DueDate(calendar.ToLifecycleTime(created), 3);

        // 0.5 s + 3 days of 2 s = 6.5 s, rounded up to the next 2-second midnight: 8 s.
        Assert.Equal(start.AddSeconds(8), calendar.ToRealTime(due));
        Assert.True(calendar.Today(start.AddSeconds(7.9)) < due);
        Assert.True(calendar.Today(start.AddSeconds(8)) >= due);
    }

    [Fact]
    public void Instants_far_from_the_anchor_are_clamped_not_overflowed()
    {
        var calendar = LifecycleCalendar.Compressed(TimeSpan.FromSeconds(1), DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        var ancient = calendar.ToLifecycleTime(DateTimeOffset.FromUnixTimeSeconds(0));
        var future = calendar.ToLifecycleTime(DateTimeOffset.FromUnixTimeSeconds(4_000_000_000));

        Assert.True(ancient.Year < 100);
        Assert.True(future.Year > 9000);
    }
}
