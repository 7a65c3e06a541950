using Tally.Core.Errors;
using Tally.S3.Headers;

namespace Tally.S3.Tests;

public sealed class HeaderTests
{
    [Theory]
    [InlineData("bytes=0-9", 100, 0, 10)]
    [InlineData("bytes=90-", 100, 90, 10)]
    [InlineData("bytes=-5", 100, 95, 5)]
    [InlineData("bytes=-500", 100, 0, 100)]
    [InlineData("bytes=50-5000", 100, 50, 50)]
    public void Satisfiable_ranges_select_the_right_bytes(string header, long size, long offset, long length)
    {
        Assert.Equal(new ByteRange(offset, length), ByteRange.Parse(header, size));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("items=0-5")]
    [InlineData("bytes=5-2")]
    [InlineData("bytes=0-1,4-5")]
    [InlineData("bytes=abc")]
    public void Absent_or_malformed_ranges_mean_the_whole_object(string? header)
    {
        Assert.Null(ByteRange.Parse(header, 100));
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=-0")]
    public void Ranges_past_the_end_are_InvalidRange(string header)
    {
        var error = Assert.Throws<S3Exception>(() => ByteRange.Parse(header, 100));
        Assert.Equal(416, error.Error.HttpStatus);
    }

    [Fact]
    public void Content_range_names_first_last_and_size()
    {
        Assert.Equal("bytes 10-19/100", new ByteRange(10, 10).ContentRange(100));
    }

    private static readonly DateTimeOffset Modified = new(2024, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("\"abc\"", null, null, null, null)]
    [InlineData("*", null, null, null, null)]
    [InlineData(null, "\"other\"", null, null, null)]
    [InlineData(null, null, "2024-01-14T00:00:00Z", null, null)]
    [InlineData(null, null, null, "2024-01-16T00:00:00Z", null)]
    [InlineData("\"abc\"", null, null, "2020-01-01T00:00:00Z", null)]
    [InlineData(null, "\"abc\"", null, null, "NotModified")]
    [InlineData(null, null, "2024-01-16T00:00:00Z", null, "NotModified")]
    [InlineData("\"zzz\"", null, null, null, "PreconditionFailed")]
    [InlineData(null, null, null, "2024-01-14T00:00:00Z", "PreconditionFailed")]
    public void Conditions_are_evaluated_in_S3s_order(string? ifMatch, string? ifNoneMatch, string? ifModifiedSince, string? ifUnmodifiedSince, string? expectedError)
    {
        var conditional = new Conditional(ifMatch, ifNoneMatch, Date(ifModifiedSince), Date(ifUnmodifiedSince));
        var check = () => conditional.Check("\"abc\"", Modified, S3Errors.NotModified);
        if (expectedError is null)
        {
            check();
        }
        else
        {
            Assert.Equal(expectedError, Assert.Throws<S3Exception>(check).Error.Code);
        }
    }

    private static DateTimeOffset? Date(string? value) => value is null ? null : DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
