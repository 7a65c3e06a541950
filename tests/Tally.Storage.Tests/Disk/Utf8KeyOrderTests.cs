using System.Text;
using Tally.Storage.Disk;

namespace Tally.Storage.Tests.Disk;

public sealed class Utf8KeyOrderTests
{
    private static readonly string[] Samples = ["", "a", "a/", "a0", "ab", "\u007f", "\u0080", "é", "\uD7FF", "\uE000", "\uFF21", "\uFFFF", "😀", "😀a", "\U0010FFFF", "a\U0010FFFF", "z"];

    [Fact]
    public void Compares_like_the_utf8_bytes()
    {
        foreach (var a in Samples)
        {
            foreach (var b in Samples)
            {
                var expected = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
                Assert.True(expected == Math.Sign(Utf8KeyOrder.Compare(a, b)), $"{a} vs {b}");
            }
        }
    }

    [Fact]
    public void Prefix_end_bounds_exactly_the_keys_with_the_prefix()
    {
        foreach (var prefix in Samples.Where(s => s.Length > 0))
        {
            var end = Utf8KeyOrder.PrefixEnd(prefix);
            foreach (var key in Samples.SelectMany(s => new[] { s, prefix + s }))
            {
                var inRange = Utf8KeyOrder.Compare(key, prefix) >= 0 && (end is null || Utf8KeyOrder.Compare(key, end) < 0);
                Assert.True(inRange == key.StartsWith(prefix, StringComparison.Ordinal), $"prefix {prefix}, key {key}");
            }
        }

        Assert.Null(Utf8KeyOrder.PrefixEnd("\U0010FFFF"));
        Assert.Equal("b", Utf8KeyOrder.PrefixEnd("a"));
        Assert.Equal("\uE000", Utf8KeyOrder.PrefixEnd("\uD7FF"));
        Assert.Equal("b", Utf8KeyOrder.PrefixEnd("a\U0010FFFF"));
    }
}
