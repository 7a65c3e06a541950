using Tally.Lifecycle.Restore;

namespace Tally.Lifecycle.Tests.Restore;

public sealed class RestoreDelaysTests
{
    [Fact]
    public void Defaults_are_10_s_60_s_and_300_s_and_deep_archive_is_slower()
    {
        var delays = RestoreDelays.Default;

        Assert.Equal(TimeSpan.FromSeconds(10), delays.Expedited);
        Assert.Equal(TimeSpan.FromSeconds(60), delays.Standard);
        Assert.Equal(TimeSpan.FromSeconds(300), delays.Bulk);
        Assert.Equal(TimeSpan.FromSeconds(144), delays.DeepArchiveStandard);
        Assert.Equal(TimeSpan.FromSeconds(1200), delays.DeepArchiveBulk);
    }

    [Fact]
    public void A_standard_delay_alone_scales_every_other_tier()
    {
        var delays = RestoreDelays.Parse(null, TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(5), delays.Expedited);
        Assert.Equal(TimeSpan.FromSeconds(30), delays.Standard);
        Assert.Equal(TimeSpan.FromSeconds(150), delays.Bulk);
        Assert.Equal(TimeSpan.FromSeconds(72), delays.DeepArchiveStandard);
        Assert.Equal(TimeSpan.FromSeconds(600), delays.DeepArchiveBulk);
        Assert.Equal(delays, RestoreDelays.FromStandard(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Tiers_given_separately_win_and_the_rest_still_scale()
    {
        var delays = RestoreDelays.Parse(" expedited=1, Bulk=7.5 ", TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(1), delays.Expedited);
        Assert.Equal(TimeSpan.FromSeconds(30), delays.Standard);
        Assert.Equal(TimeSpan.FromSeconds(7.5), delays.Bulk);
        Assert.Equal(TimeSpan.FromSeconds(72), delays.DeepArchiveStandard);
        Assert.Equal(TimeSpan.FromSeconds(30), delays.DeepArchiveBulk);
    }

    [Fact]
    public void Every_tier_can_be_set_including_deep_archive_and_zero()
    {
        var delays = RestoreDelays.Parse("Expedited=0,Standard=2,Bulk=3,DeepArchiveStandard=4,DeepArchiveBulk=5", null);

        Assert.Equal(new RestoreDelays(TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)), delays);
    }

    [Theory]
    [InlineData("Fast=1", "unknown tier 'Fast'")]
    [InlineData("Standard", "expected TIER=SECONDS")]
    [InlineData("Bulk=-1", "seconds >= 0")]
    [InlineData("Bulk=abc", "seconds >= 0")]
    [InlineData("Bulk=NaN", "seconds >= 0")]
    [InlineData("Bulk=1,Bulk=2", "'Bulk' is given twice")]
    [InlineData("", "expected TIER=SECONDS")]
    public void Bad_specs_are_refused_with_a_message_that_names_the_problem(string spec, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RestoreDelays.Parse(spec, null));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_standard_delay_cannot_be_given_twice()
    {
        var error = Assert.Throws<FormatException>(() => RestoreDelays.Parse("Standard=5", TimeSpan.FromSeconds(30)));

        Assert.Contains("Standard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_standard_delay_is_refused()
    {
        _ = Assert.Throws<FormatException>(() => RestoreDelays.Parse(null, TimeSpan.FromSeconds(-1)));
    }
}
