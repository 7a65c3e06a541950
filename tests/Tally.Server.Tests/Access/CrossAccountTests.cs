using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Server.Tests.Access;

/// <summary>Two real accounts through AWSSDK.S3: denied, allowed by a bucket policy, denied again by a Deny.</summary>
public sealed class CrossAccountTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private AmazonS3Client Owner => accounts.Owner;

    private AmazonS3Client Alternate => accounts.Alternate;

    [Fact]
    public async Task The_alternate_account_is_denied_then_allowed_by_a_policy_then_denied_again_by_a_deny()
    {
        const string bucket = "cross-account";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "report.csv", ContentBody = "a,b" });

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(bucket, "report.csv"));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "x" }));

        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject", "s3:ListBucket"));

        Assert.Equal("a,b", await ReadAsync(Alternate, bucket, "report.csv"));
        Assert.Single((await Alternate.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects);
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "x" }));

        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowThenDeny(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject"));

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(bucket, "report.csv"));
        await Alternate.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "from-alternate", ContentBody = "hi" });
        Assert.Equal("hi", await ReadAsync(Owner, bucket, "from-alternate"));
        Assert.Equal("a,b", await ReadAsync(Owner, bucket, "report.csv"));
    }

    [Fact]
    public async Task A_denied_request_changes_nothing()
    {
        const string bucket = "denied-changes-nothing";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "keep", ContentBody = "original" });

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "keep", ContentBody = "overwritten" }));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.DeleteObjectAsync(bucket, "keep"));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.InitiateMultipartUploadAsync(bucket, "multi"));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket)));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.DeleteBucketAsync(bucket));

        Assert.Equal("original", await ReadAsync(Owner, bucket, "keep"));
        Assert.Empty((await Owner.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
        await S3Assert.FailsWith("NoSuchBucketPolicy", HttpStatusCode.NotFound, () => Owner.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket }));
    }

    [Fact]
    public async Task Multipart_uploads_need_write_permission_throughout()
    {
        const string bucket = "cross-multipart";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:PutObject"));

        var upload = await Alternate.InitiateMultipartUploadAsync(bucket, "big");
        var part = await Alternate.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("part"u8.ToArray()) });
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.AbortMultipartUploadAsync(bucket, "big", upload.UploadId));

        await Owner.DeleteBucketPolicyAsync(bucket);
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "big",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        }));
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => Owner.GetObjectAsync(bucket, "big"));
    }

    [Fact]
    public async Task Copy_needs_read_on_the_source_and_write_on_the_destination()
    {
        const string source = "copy-source-private";
        const string destination = "copy-destination-alt";
        await Owner.PutBucketAsync(source);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "original", ContentBody = "secret" });
        await Alternate.PutBucketAsync(destination);

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.CopyObjectAsync(source, "original", destination, "copy"));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Owner.CopyObjectAsync(source, "original", destination, "copy"));
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => Alternate.GetObjectAsync(destination, "copy"));

        await Owner.PutBucketPolicyAsync(source, Policies.AllowAccount(source, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject"));
        await Alternate.CopyObjectAsync(source, "original", destination, "copy");

        Assert.Equal("secret", await ReadAsync(Alternate, destination, "copy"));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = source,
            SourceKey = "original",
            DestinationBucket = destination,
            DestinationKey = "copy2",
            ExpectedSourceBucketOwner = accounts.AlternateRoot.Identity.AccountId,
        }));
    }

    [Fact]
    public async Task Multi_object_delete_reports_access_denied_per_key()
    {
        const string bucket = "multi-delete-per-key";
        await Owner.PutBucketAsync(bucket);
        foreach (var key in new[] { "public/a", "public/b", "private/c" })
        {
            await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        var policy = $$"""
            {"Version":"2012-10-17","Statement":[{"Sid":"DeletePublic","Effect":"Allow","Principal":{"AWS":"{{accounts.AlternateRoot.Identity.AccountId}}"},
             "Action":"s3:DeleteObject","Resource":"arn:aws:s3:::{{bucket}}/public/*"}]}
            """;
        await Owner.PutBucketPolicyAsync(bucket, policy);

        // The SDK raises per-key errors as an exception carrying the whole response.
        var failure = await Assert.ThrowsAsync<DeleteObjectsException>(() => Alternate.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "public/a" }, new KeyVersion { Key = "private/c" }, new KeyVersion { Key = "public/b" }],
        }));
        var response = failure.Response;

        Assert.Equal(["public/a", "public/b"], response.DeletedObjects.Select(d => d.Key).Order(StringComparer.Ordinal));
        var error = Assert.Single(response.DeleteErrors);
        Assert.Equal(("private/c", "AccessDenied"), (error.Key, error.Code));
        Assert.Equal(["private/c"], (await Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task Expected_bucket_owner_must_match_on_every_operation()
    {
        const string bucket = "expected-owner";
        await Owner.PutBucketAsync(bucket);

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden,
            () => Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ExpectedBucketOwner = accounts.AlternateRoot.Identity.AccountId }));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden,
            () => Owner.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket, ExpectedBucketOwner = accounts.AlternateRoot.Identity.AccountId }));
        var listed = await Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ExpectedBucketOwner = accounts.OwnerAccountId });
        Assert.Equal(HttpStatusCode.OK, listed.HttpStatusCode);
    }

    [Fact]
    public async Task Bucket_policy_operations_are_for_the_owners_account_only()
    {
        const string bucket = "policy-owner-only";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetBucketPolicy", "s3:GetObject"));

        await S3Assert.FailsWith("MethodNotAllowed", HttpStatusCode.MethodNotAllowed, () => Alternate.GetBucketPolicyAsync(bucket));
    }

    [Fact]
    public async Task A_request_naming_a_version_needs_the_version_action()
    {
        const string bucket = "cross-versions";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var first = await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "one" });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "two" });
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject"));

        Assert.Equal("two", await ReadAsync(Alternate, bucket, "k"));
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden,
            () => Alternate.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "k", VersionId = first.VersionId }));

        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject", "s3:GetObjectVersion"));
        using var old = await Alternate.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "k", VersionId = first.VersionId });
        Assert.Equal(first.VersionId, old.VersionId);
    }

    private static async Task<string> ReadAsync(AmazonS3Client client, string bucket, string key)
    {
        using var response = await client.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}
