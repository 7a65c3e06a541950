using Tally.AccessLogs.Delivery;

namespace Tally.AccessLogs.Tests.Delivery;

public sealed class LogObjectKeysTests
{
    [Fact]
    public void Simple_prefix_key_matches_the_documented_example()
    {
        var key = LogObjectKeys.SimplePrefix("logs/", new DateTimeOffset(2013, 11, 1, 21, 32, 16, TimeSpan.Zero), "E568B2907131C0C0");

        Assert.Equal("logs/2013-11-01-21-32-16-E568B2907131C0C0", key);
    }

    [Fact]
    public void Partitioned_event_time_key_matches_the_spec_example_with_midnight_in_the_name()
    {
        var key = LogObjectKeys.PartitionedByEventTime("logs/", "123456789012", "us-east-1", "amzn-s3-demo-bucket", new DateOnly(2024, 1, 15), "9F2B7C41D0E6A358");

        Assert.Equal("logs/123456789012/us-east-1/amzn-s3-demo-bucket/2024/01/15/2024-01-15-00-00-00-9F2B7C41D0E6A358", key);
    }

    [Fact]
    public void Partitioned_delivery_time_key_carries_the_delivery_date_and_time_in_UTC()
    {
        var delivered = new DateTimeOffset(2024, 1, 15, 23, 5, 9, TimeSpan.FromHours(-2));

        var key = LogObjectKeys.PartitionedByDeliveryTime("logs/", "123456789012", "eu-west-1", "src", delivered, "0123456789ABCDEF");

        Assert.Equal("logs/123456789012/eu-west-1/src/2024/01/16/2024-01-16-01-05-09-0123456789ABCDEF", key);
    }

    [Fact]
    public void Simple_prefix_uses_UTC()
    {
        var key = LogObjectKeys.SimplePrefix(string.Empty, new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.FromHours(-3)), "A");

        Assert.Equal("2025-01-01-02-00-00-A", key);
    }

    [Fact]
    public void Target_prefix_is_concatenated_without_adding_a_slash()
    {
        var time = new DateTimeOffset(2013, 11, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.StartsWith("logs2013-11-01-", LogObjectKeys.SimplePrefix("logs", time, "X"), StringComparison.Ordinal);
        Assert.StartsWith("logs123456789012/", LogObjectKeys.PartitionedByDeliveryTime("logs", "123456789012", "us-east-1", "b", time, "X"), StringComparison.Ordinal);
    }

    [Fact]
    public void Unique_string_has_AWS_shape_and_is_stable_for_a_segment()
    {
        var first = LogObjectKeys.UniqueString("photos/000000000042");

        Assert.Matches("^[0-9A-F]{16}$", first);
        Assert.Equal(first, LogObjectKeys.UniqueString("photos/000000000042"));
        Assert.NotEqual(first, LogObjectKeys.UniqueString("photos/000000000043"));
    }

    [Fact]
    public void Unique_string_never_changes_between_versions_so_redelivery_overwrites()
    {
        // Guard value: changing the derivation would make a re-delivery after an upgrade write a
        // second object instead of overwriting the first (DESIGN §3). Value = first 8 bytes of
        // SHA-256("photos/000000000042"), checked with sha256sum.
        Assert.Equal("2291ACDCC758952C", LogObjectKeys.UniqueString("photos/000000000042"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void Rejects_a_unique_string_that_would_break_the_key_layout(string unique)
    {
        Assert.ThrowsAny<ArgumentException>(() => LogObjectKeys.SimplePrefix("logs/", DateTimeOffset.UnixEpoch, unique));
    }
}
