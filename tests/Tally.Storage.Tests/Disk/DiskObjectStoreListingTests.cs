using System.Text;
using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

public sealed class DiskObjectStoreListingTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] TrickyKeys =
    [
        "a", "a b", "a+b", "a%2Fb", "a/b", "a/b/c", "a/c", "a/../x", "a..b", "ab", "a~", "b/", "b/x", "é", "é/1",
        "\uFF21", "😀", "😀/x", "z%", "z+", "Z", "_", "-", "~",
    ];

    private readonly StoreFixture _f = new();

    public async Task InitializeAsync()
    {
        await _f.CreateBucketAsync();
        foreach (var key in TrickyKeys)
        {
            _ = await _f.PutAsync(key, key);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Lists_keys_in_utf8_byte_order()
    {
        var page = await ListAsync(string.Empty, null, null, 1000);

        var expected = TrickyKeys.OrderBy(k => k, Utf8Bytes.Instance).ToArray();
        Assert.Equal(expected, page.Objects.Select(o => o.Key));
        Assert.False(page.IsTruncated);
        Assert.Null(page.NextMarker);

        // U+FF21 sorts before the surrogate pair of 😀 in UTF-8, unlike UTF-16 ordinal order.
        Assert.True(Array.IndexOf(expected, "\uFF21") < Array.IndexOf(expected, "😀"));
    }

    [Fact]
    public async Task Delimiter_rolls_keys_up_into_common_prefixes()
    {
        var page = await ListAsync(string.Empty, "/", null, 1000);

        Assert.Equal(["a/", "b/", "é/", "😀/"], page.CommonPrefixes);
        Assert.DoesNotContain(page.Objects, o => o.Key.Contains('/', StringComparison.Ordinal));
        Assert.Contains(page.Objects, o => o.Key == "a%2Fb");
    }

    [Fact]
    public async Task Prefix_and_delimiter_list_one_level()
    {
        var page = await ListAsync("a/", "/", null, 1000);

        Assert.Equal(["a/b", "a/c"], page.Objects.Select(o => o.Key));

        // '.' sorts before '/', and "../x" holds the delimiter: "a/../" is a common prefix like any other.
        Assert.Equal(["a/../", "a/b/"], page.CommonPrefixes);
    }

    [Fact]
    public async Task Prefix_alone_matches_byte_prefixes_including_special_characters()
    {
        Assert.Equal(["a+b"], (await ListAsync("a+", null, null, 1000)).Objects.Select(o => o.Key));
        Assert.Equal(["a%2Fb"], (await ListAsync("a%", null, null, 1000)).Objects.Select(o => o.Key));
        Assert.Equal(["a b"], (await ListAsync("a ", null, null, 1000)).Objects.Select(o => o.Key));
        Assert.Equal(["é", "é/1"], (await ListAsync("é", null, null, 1000)).Objects.Select(o => o.Key));
        Assert.Equal(["😀", "😀/x"], (await ListAsync("😀", null, null, 1000)).Objects.Select(o => o.Key));
        Assert.Empty((await ListAsync("nothing", null, null, 1000)).Objects);
    }

    [Fact]
    public async Task Start_after_is_exclusive()
    {
        var page = await ListAsync("a", null, "a/b", 3);

        Assert.Equal(["a/b/c", "a/c", "ab"], page.Objects.Select(o => o.Key));
        Assert.True(page.IsTruncated);
        Assert.Equal("ab", page.NextMarker);
    }

    [Fact]
    public async Task Start_after_inside_a_common_prefix_does_not_repeat_it()
    {
        var page = await ListAsync(string.Empty, "/", "a/b", 1000);

        Assert.DoesNotContain("a/", page.CommonPrefixes);
        Assert.Equal("ab", page.Objects[0].Key);
    }

    [Fact]
    public async Task Max_keys_zero_returns_nothing_and_is_truncated_when_keys_exist()
    {
        var page = await ListAsync(string.Empty, null, null, 0);
        var none = await ListAsync("nothing", null, null, 0);

        Assert.Empty(page.Objects);
        Assert.Empty(page.CommonPrefixes);
        Assert.True(page.IsTruncated);
        Assert.False(none.IsTruncated);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Paging_with_next_marker_visits_every_entry_once(int maxKeys)
    {
        foreach (var delimiter in new string?[] { null, "/", "b" })
        {
            var whole = await ListAsync(string.Empty, delimiter, null, 1000);
            var expected = Merge(whole);

            var seen = new List<string>();
            string? marker = null;
            for (var pages = 0; pages < 100; pages++)
            {
                var page = await ListAsync(string.Empty, delimiter, marker, maxKeys);
                Assert.True(page.Objects.Count + page.CommonPrefixes.Count <= maxKeys);
                seen.AddRange(Merge(page));
                if (!page.IsTruncated)
                {
                    break;
                }

                marker = page.NextMarker;
                Assert.NotNull(marker);
            }

            Assert.Equal(expected, seen);
        }
    }

    [Fact]
    public async Task A_large_common_prefix_is_skipped_as_one_entry()
    {
        for (var i = 0; i < 300; i++)
        {
            _ = await _f.PutAsync("big/" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), "x");
        }

        var page = await ListAsync(string.Empty, "/", "a~", 2);

        Assert.Equal(["b/", "big/"], page.CommonPrefixes);
        Assert.True(page.IsTruncated);
        Assert.Equal("big/", page.NextMarker);
        var next = await ListAsync(string.Empty, "/", page.NextMarker, 2);
        Assert.Equal(["z%", "z+"], Merge(next));
    }

    [Fact]
    public async Task Multi_character_delimiter_is_honoured()
    {
        var page = await ListAsync(string.Empty, "..", null, 1000);

        Assert.Equal(["a..", "a/.."], page.CommonPrefixes);
    }

    private static List<string> Merge(ListObjectsPage page) =>
        page.Objects.Select(o => o.Key).Concat(page.CommonPrefixes).OrderBy(k => k, Utf8Bytes.Instance).ToList();

    private Task<ListObjectsPage> ListAsync(string prefix, string? delimiter, string? startAfter, int maxKeys) =>
        _f.Objects.ListObjectsAsync("bucket", new ListObjectsQuery(prefix, delimiter, startAfter, maxKeys), CancellationToken.None);

    private sealed class Utf8Bytes : IComparer<string>
    {
        public static readonly Utf8Bytes Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x!).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y!));
    }
}
