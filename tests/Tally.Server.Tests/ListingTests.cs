using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Server.Tests;

public sealed class ListingTests() : ServerWithBucket("listing")
{
    private static readonly string[] Keys = ["a.txt", "logs/2024/01/x", "logs/2024/02/y", "logs/z", "photos/p 1.jpg", "photos/p+2.jpg", "zeta"];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var key in Keys)
        {
            await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = key });
        }
    }

    [Fact]
    public async Task Delimiter_groups_keys_into_common_prefixes()
    {
        var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Delimiter = "/" });
        Assert.Equal(["a.txt", "zeta"], page.S3Objects.Select(o => o.Key));
        Assert.Equal(["logs/", "photos/"], page.CommonPrefixes);
        Assert.Equal(4, page.KeyCount);
    }

    [Fact]
    public async Task Prefix_and_delimiter_list_one_level()
    {
        var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "logs/", Delimiter = "/" });
        Assert.Equal(["logs/z"], page.S3Objects.Select(o => o.Key));
        Assert.Equal(["logs/2024/"], page.CommonPrefixes);
    }

    [Fact]
    public async Task V2_pages_with_continuation_tokens_visit_every_key_once()
    {
        var seen = new List<string>();
        string? token = null;
        for (var i = 0; i < 20; i++)
        {
            var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 2, ContinuationToken = token });
            seen.AddRange(page.S3Objects.Select(o => o.Key));
            if (page.IsTruncated != true)
            {
                break;
            }

            token = page.NextContinuationToken;
        }

        Assert.Equal(Keys, seen);
    }

    [Fact]
    public async Task V1_pages_with_markers_visit_every_key_once()
    {
        var seen = new List<string>();
        string? marker = null;
        for (var i = 0; i < 20; i++)
        {
            var page = await S3.ListObjectsAsync(new ListObjectsRequest { BucketName = Bucket, MaxKeys = 3, Marker = marker });
            seen.AddRange(page.S3Objects.Select(o => o.Key));
            if (page.IsTruncated != true)
            {
                break;
            }

            marker = page.S3Objects[^1].Key;
        }

        Assert.Equal(Keys, seen);
    }

    [Fact]
    public async Task Start_after_skips_keys_up_to_and_including_it()
    {
        var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, StartAfter = "photos/p 1.jpg" });
        Assert.Equal(["photos/p+2.jpg", "zeta"], page.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task Url_encoding_type_round_trips_spaces_and_plus_signs()
    {
        var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "photos/", Encoding = EncodingType.Url });
        Assert.Equal(["photos/p%201.jpg", "photos/p%2B2.jpg"], page.S3Objects.Select(o => o.Key));
        Assert.Equal(["photos/p 1.jpg", "photos/p+2.jpg"], page.S3Objects.Select(o => Uri.UnescapeDataString(o.Key)));
    }

    [Fact]
    public async Task Max_keys_beyond_1000_is_clamped_and_fetch_owner_returns_the_owner()
    {
        var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1_000_000, FetchOwner = true });
        Assert.Equal(1000, page.MaxKeys);
        Assert.All(page.S3Objects, o => Assert.False(string.IsNullOrEmpty(o.Owner?.Id)));
    }
}
