using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;

namespace Tally.Server.Tests;

public sealed class MultipartTests() : ServerWithBucket("multipart")
{
    private const int FiveMiB = 5 * 1024 * 1024;

    [Fact]
    public async Task Completed_upload_has_the_AWS_multipart_etag_and_serves_parts_by_number()
    {
        var part1 = RandomNumberGenerator.GetBytes(FiveMiB);
        var part2 = RandomNumberGenerator.GetBytes(1234);
        var create = await S3.InitiateMultipartUploadAsync(Bucket, "big");
        var etag1 = (await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "big", UploadId = create.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) })).ETag;
        var etag2 = (await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "big", UploadId = create.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) })).ETag;

        var parts = await S3.ListPartsAsync(new ListPartsRequest { BucketName = Bucket, Key = "big", UploadId = create.UploadId });
        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber ?? 0));

        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = "big",
            UploadId = create.UploadId,
            PartETags = [new PartETag(1, etag1), new PartETag(2, etag2)],
        });
        byte[] partDigests = [.. MD5.HashData(part1), .. MD5.HashData(part2)];
        var expected = Convert.ToHexStringLower(MD5.HashData(partDigests)) + "-2";
        Assert.Equal($"\"{expected}\"", complete.ETag);

        using var whole = await S3.GetObjectAsync(Bucket, "big");
        byte[] joined = [.. part1, .. part2];
        Assert.Equal(joined, await ObjectTests.ReadAllAsync(whole.ResponseStream));
        using var second = await S3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "big", PartNumber = 2 });
        Assert.Equal(part2, await ObjectTests.ReadAllAsync(second.ResponseStream));
        Assert.Equal(2, second.PartsCount);
    }

    [Fact]
    public async Task A_small_non_final_part_makes_completion_fail_with_EntityTooSmall()
    {
        var create = await S3.InitiateMultipartUploadAsync(Bucket, "small");
        var e1 = (await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "small", UploadId = create.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) })).ETag;
        var e2 = (await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "small", UploadId = create.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[10]) })).ETag;
        await S3Assert.FailsWith("EntityTooSmall", HttpStatusCode.BadRequest, () => S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = "small",
            UploadId = create.UploadId,
            PartETags = [new PartETag(1, e1), new PartETag(2, e2)],
        }));
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => S3.GetObjectAsync(Bucket, "small"));
    }

    [Fact]
    public async Task Aborted_uploads_disappear_from_listings_and_reject_parts()
    {
        var create = await S3.InitiateMultipartUploadAsync(Bucket, "aborted");
        var uploads = await S3.ListMultipartUploadsAsync(Bucket);
        Assert.Contains(uploads.MultipartUploads, u => u.UploadId == create.UploadId);

        await S3.AbortMultipartUploadAsync(Bucket, "aborted", create.UploadId);
        Assert.DoesNotContain((await S3.ListMultipartUploadsAsync(Bucket)).MultipartUploads ?? [], u => u.UploadId == create.UploadId);
        await S3Assert.FailsWith("NoSuchUpload", HttpStatusCode.NotFound,
            () => S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "aborted", UploadId = create.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1]) }));
    }

    [Fact]
    public async Task Upload_part_copy_copies_a_byte_range_of_another_object()
    {
        var source = RandomNumberGenerator.GetBytes(FiveMiB + 100);
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "copy-src", InputStream = new MemoryStream(source) });
        var create = await S3.InitiateMultipartUploadAsync(Bucket, "copied");
        var copy = await S3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = Bucket,
            SourceKey = "copy-src",
            DestinationBucket = Bucket,
            DestinationKey = "copied",
            UploadId = create.UploadId,
            PartNumber = 1,
            FirstByte = 100,
            LastByte = source.Length - 1,
        });
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "copied", UploadId = create.UploadId, PartETags = [new PartETag(1, copy.ETag)] });
        using var get = await S3.GetObjectAsync(Bucket, "copied");
        Assert.Equal(source[100..], await ObjectTests.ReadAllAsync(get.ResponseStream));
    }
}
