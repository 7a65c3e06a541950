using Microsoft.Extensions.Time.Testing;
using Tally.Core.Errors;
using Tally.Lifecycle.Evaluation;
using Tally.Lifecycle.Restore;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Tests.Restore;

public sealed class RestorePlannerTests
{
    // 10:00 UTC: ready times of a few seconds or minutes stay on the same day, so the expiry is
    // the midnight Days after it (spec §6.6: AWS's expiry-date is a midnight).
    private static readonly DateTimeOffset Now = new(2024, 3, 5, 10, 0, 0, TimeSpan.Zero);

    private static readonly RestoreDelays Delays = new(
        Expedited: TimeSpan.FromSeconds(10),
        Standard: TimeSpan.FromSeconds(60),
        Bulk: TimeSpan.FromSeconds(300),
        DeepArchiveStandard: TimeSpan.FromSeconds(144),
        DeepArchiveBulk: TimeSpan.FromSeconds(1200));

    [Theory]
    [InlineData("Expedited", 10)]
    [InlineData("Standard", 60)]
    [InlineData("Bulk", 300)]
    public void A_glacier_restore_is_ready_after_its_tiers_delay(string tier, int seconds)
    {
        var planner = new RestorePlanner(Delays, LifecycleCalendar.Standard, new FakeTimeProvider(Now));

        var plan = planner.Plan(new RestoreObjectRequest(2, tier), StorageClasses.Glacier);

        Assert.Equal(Now.AddSeconds(seconds), plan.ReadyAt);
        Assert.Equal(tier, plan.Tier);
        Assert.Equal(2, plan.Days);
        Assert.Equal(new DateTimeOffset(2024, 3, 8, 0, 0, 0, TimeSpan.Zero), plan.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2024, 3, 8, 0, 0, 0, TimeSpan.Zero), plan.ExpiresAtIfReadyNow);
    }

    [Theory]
    [InlineData("Standard", 144)]
    [InlineData("Bulk", 1200)]
    public void A_deep_archive_restore_takes_the_deep_archive_delay(string tier, int seconds)
    {
        var planner = new RestorePlanner(Delays, LifecycleCalendar.Standard, new FakeTimeProvider(Now));

        var plan = planner.Plan(new RestoreObjectRequest(1, tier), StorageClasses.DeepArchive);

        Assert.Equal(Now.AddSeconds(seconds), plan.ReadyAt);
        Assert.Equal(new DateTimeOffset(2024, 3, 7, 0, 0, 0, TimeSpan.Zero), plan.ExpiresAt);
    }

    [Fact]
    public void Expedited_is_refused_for_deep_archive()
    {
        var planner = new RestorePlanner(Delays, LifecycleCalendar.Standard, new FakeTimeProvider(Now));

        var error = Assert.Throws<S3Exception>(() => planner.Plan(new RestoreObjectRequest(1, "Expedited"), StorageClasses.DeepArchive));

        Assert.Equal("InvalidObjectState", error.Error.Code);
        Assert.Equal(403, error.Error.HttpStatus);
    }

    [Fact]
    public void A_class_that_is_not_archived_plans_with_the_glacier_delays_and_leaves_the_refusal_to_the_store()
    {
        var planner = new RestorePlanner(Delays, LifecycleCalendar.Standard, new FakeTimeProvider(Now));

        Assert.Equal(Now.AddSeconds(10), planner.Plan(new RestoreObjectRequest(1, "Expedited"), StorageClasses.Standard).ReadyAt);
        Assert.Equal(Now.AddSeconds(300), planner.Plan(new RestoreObjectRequest(1, "Bulk"), null).ReadyAt);
    }

    [Fact]
    public void A_ready_time_past_midnight_moves_the_expiry_to_the_next_midnight()
    {
        var late = new DateTimeOffset(2024, 3, 5, 23, 58, 0, TimeSpan.Zero);
        var planner = new RestorePlanner(Delays, LifecycleCalendar.Standard, new FakeTimeProvider(late));

        var expedited = planner.Plan(new RestoreObjectRequest(1, "Expedited"), StorageClasses.Glacier);
        var bulk = planner.Plan(new RestoreObjectRequest(1, "Bulk"), StorageClasses.Glacier);

        Assert.Equal(new DateTimeOffset(2024, 3, 7, 0, 0, 0, TimeSpan.Zero), expedited.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2024, 3, 8, 0, 0, 0, TimeSpan.Zero), bulk.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2024, 3, 7, 0, 0, 0, TimeSpan.Zero), bulk.ExpiresAtIfReadyNow);
    }

    [Fact]
    public void The_header_says_ongoing_until_the_tiers_ready_time_then_gives_the_expiry()
    {
        var time = new FakeTimeProvider(Now);
        var planner = new RestorePlanner(Delays, LifecycleCalendar.Standard, time);
        var plan = planner.Plan(new RestoreObjectRequest(1, "Expedited"), StorageClasses.Glacier);
        var status = new RestoreStatus(Now, plan.ReadyAt, plan.ExpiresAt, plan.Days, plan.Tier);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("ongoing-request=\"true\"", planner.Header(status));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("ongoing-request=\"false\", expiry-date=\"Thu, 07 Mar 2024 00:00:00 GMT\"", planner.Header(status));
        Assert.Null(planner.Header(null));
    }
}
