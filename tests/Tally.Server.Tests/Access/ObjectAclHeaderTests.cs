using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.AccessLogs.Records;
using Tally.Server.Tests.Logging;

namespace Tally.Server.Tests.Access;

/// <summary>
/// x-amz-acl / x-amz-grant-* on object writes, the owner a new object gets under each Object
/// Ownership setting (about-object-ownership.html), and the ownership / ACL headers of CreateBucket.
/// </summary>
public sealed class ObjectAclHeaderTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";

    private AmazonS3Client Owner => accounts.Owner;

    private AmazonS3Client Alternate => accounts.Alternate;

    private string AlternateCanonicalId => accounts.AlternateRoot.Identity.CanonicalUserId;

    [Fact]
    public async Task A_canned_acl_on_put_object_is_stored_and_public_read_lets_anonymous_get()
    {
        var bucket = await AclBucketAsync("put-public-read", ObjectOwnership.ObjectWriter);

        // A new bucket blocks public access (AWS's default): a public ACL needs the block gone first.
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public", ContentBody = "open", CannedACL = S3CannedACL.PublicRead });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "private", ContentBody = "closed" });

        var acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "public" });
        Assert.Equal(accounts.OwnerCanonicalId, acl.Owner.Id);
        Assert.Contains(acl.Grants, g => g.Grantee.URI == AllUsers && g.Permission == S3Permission.READ);
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == accounts.OwnerCanonicalId && g.Permission == S3Permission.FULL_CONTROL);

        using var http = accounts.Server.Http();
        var response = await http.GetAsync($"/{bucket}/public");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("open", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/private")).StatusCode);

        // The public access block still decides: IgnorePublicAcls makes the stored grant inert.
        await Owner.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { IgnorePublicAcls = true },
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/public")).StatusCode);

        // An overwrite without an ACL header is private again.
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public", ContentBody = "closed now" });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/public")).StatusCode);
    }

    [Fact]
    public async Task Grant_headers_on_put_and_copy_are_stored_and_grant_access()
    {
        var bucket = await AclBucketAsync("copy-grants", ObjectOwnership.BucketOwnerPreferred);
        await Owner.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "granted",
            ContentBody = "for alternate",
            Grants = [new S3Grant { Grantee = new S3Grantee { CanonicalUser = AlternateCanonicalId }, Permission = S3Permission.READ }],
        });
        Assert.Equal("for alternate", await ReadAsync(Alternate, bucket, "granted"));

        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "source", ContentBody = "copied" });
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(bucket, "source"));
        await Owner.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "source",
            DestinationBucket = bucket,
            DestinationKey = "copy",
            GrantRead = $"id=\"{AlternateCanonicalId}\"",
        });

        Assert.Equal("copied", await ReadAsync(Alternate, bucket, "copy"));
        var acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "copy" });
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == AlternateCanonicalId && g.Permission == S3Permission.READ);

        // A copy without ACL headers does not take the source's ACL: it starts private.
        await Owner.CopyObjectAsync(bucket, "granted", bucket, "copy-of-granted");
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(bucket, "copy-of-granted"));
        acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "copy-of-granted" });
        var only = Assert.Single(acl.Grants);
        Assert.Equal((accounts.OwnerCanonicalId, S3Permission.FULL_CONTROL), (only.Grantee.CanonicalUser, only.Permission));
    }

    [Fact]
    public async Task The_acl_of_create_multipart_upload_applies_to_the_completed_object()
    {
        var bucket = await AclBucketAsync("multipart-acl", ObjectOwnership.ObjectWriter);
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        var upload = await Owner.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "big", CannedACL = S3CannedACL.PublicRead });
        var part = await Owner.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("whole"u8.ToArray()) });
        await Owner.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });

        var acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "big" });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == AllUsers && g.Permission == S3Permission.READ);
        using var http = accounts.Server.Http();
        var response = await http.GetAsync($"/{bucket}/big");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("whole", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_enforced_bucket_refuses_every_write_acl_but_the_bucket_owners_full_control()
    {
        const string bucket = "enforced-writes";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "source", ContentBody = "v" });
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:PutObject"));

        // The bucket owner's own `private` is the owner's full control, the equivalent form AWS
        // accepts (rclone and s3cmd send it by default); another account's `private` is not.
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "owners-private", ContentBody = "v", CannedACL = S3CannedACL.Private });
        await S3Assert.FailsWith("AccessControlListNotSupported", HttpStatusCode.BadRequest,
            () => Alternate.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v", CannedACL = S3CannedACL.Private }));
        await Alternate.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "handed-over", ContentBody = "v", CannedACL = S3CannedACL.BucketOwnerFullControl });
        await S3Assert.FailsWith("AccessControlListNotSupported", HttpStatusCode.BadRequest,
            () => Owner.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "source", DestinationBucket = bucket, DestinationKey = "k", CannedACL = S3CannedACL.PublicRead }));
        await S3Assert.FailsWith("AccessControlListNotSupported", HttpStatusCode.BadRequest,
            () => Owner.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "k", CannedACL = S3CannedACL.AuthenticatedRead }));
        await S3Assert.FailsWith("AccessControlListNotSupported", HttpStatusCode.BadRequest, () => Owner.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "v",
            Grants = [new S3Grant { Grantee = new S3Grantee { CanonicalUser = AlternateCanonicalId }, Permission = S3Permission.READ }],
        }));

        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v", CannedACL = S3CannedACL.BucketOwnerFullControl });
        var acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k" });
        Assert.Equal(accounts.OwnerCanonicalId, acl.Owner.Id);
        var only = Assert.Single(acl.Grants);
        Assert.Equal((accounts.OwnerCanonicalId, S3Permission.FULL_CONTROL), (only.Grantee.CanonicalUser, only.Permission));
    }

    [Fact]
    public async Task An_object_another_account_writes_is_the_bucket_owners_unless_the_bucket_is_ObjectWriter()
    {
        const string enforced = "owner-enforced";
        await Owner.PutBucketAsync(enforced);
        await Owner.PutBucketPolicyAsync(enforced, Policies.AllowAccount(enforced, accounts.AlternateRoot.Identity.AccountId, "s3:PutObject"));
        await Alternate.PutObjectAsync(new PutObjectRequest { BucketName = enforced, Key = "k", ContentBody = "v" });
        Assert.Equal(accounts.OwnerCanonicalId, await ListedOwnerAsync(enforced, "k"));

        var writer = await AclBucketAsync("owner-object-writer", ObjectOwnership.ObjectWriter);
        await Owner.PutBucketPolicyAsync(writer, Policies.AllowAccount(writer, accounts.AlternateRoot.Identity.AccountId, "s3:PutObject", "s3:GetObjectAcl"));
        await Alternate.PutObjectAsync(new PutObjectRequest { BucketName = writer, Key = "k", ContentBody = "v", CannedACL = S3CannedACL.BucketOwnerFullControl });
        var acl = await Alternate.GetObjectAclAsync(new GetObjectAclRequest { BucketName = writer, Key = "k" });
        Assert.Equal(AlternateCanonicalId, acl.Owner.Id);
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == accounts.OwnerCanonicalId && g.Permission == S3Permission.FULL_CONTROL);
        Assert.Equal(AlternateCanonicalId, await ListedOwnerAsync(writer, "k"));

        var preferred = await AclBucketAsync("owner-preferred", ObjectOwnership.BucketOwnerPreferred);
        await Owner.PutBucketPolicyAsync(preferred, Policies.AllowAccount(preferred, accounts.AlternateRoot.Identity.AccountId, "s3:PutObject", "s3:GetObjectAcl"));
        await Alternate.PutObjectAsync(new PutObjectRequest { BucketName = preferred, Key = "plain", ContentBody = "v" });
        Assert.Equal(AlternateCanonicalId, (await Alternate.GetObjectAclAsync(new GetObjectAclRequest { BucketName = preferred, Key = "plain" })).Owner.Id);
        await Alternate.PutObjectAsync(new PutObjectRequest { BucketName = preferred, Key = "handed-over", ContentBody = "v", CannedACL = S3CannedACL.BucketOwnerFullControl });
        acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = preferred, Key = "handed-over" });
        Assert.Equal(accounts.OwnerCanonicalId, acl.Owner.Id);
        Assert.Equal(accounts.OwnerCanonicalId, await ListedOwnerAsync(preferred, "handed-over"));

        // A multipart upload gets its owner when it is created, as a PUT does.
        var upload = await Alternate.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = preferred, Key = "parts", CannedACL = S3CannedACL.BucketOwnerFullControl });
        var part = await Alternate.UploadPartAsync(new UploadPartRequest { BucketName = preferred, Key = "parts", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("p"u8.ToArray()) });
        await Alternate.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = preferred, Key = "parts", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        Assert.Equal(accounts.OwnerCanonicalId, await ListedOwnerAsync(preferred, "parts"));
    }

    [Fact]
    public async Task Create_bucket_honours_x_amz_object_ownership()
    {
        await Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-object-writer", ObjectOwnership = ObjectOwnership.ObjectWriter });
        var controls = await Owner.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = "created-object-writer" });
        Assert.Equal(ObjectOwnership.ObjectWriter, Assert.Single(controls.OwnershipControls.Rules).ObjectOwnership);

        await Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-preferred", ObjectOwnership = ObjectOwnership.BucketOwnerPreferred });
        controls = await Owner.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = "created-preferred" });
        Assert.Equal(ObjectOwnership.BucketOwnerPreferred, Assert.Single(controls.OwnershipControls.Rules).ObjectOwnership);

        await Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-enforced", ObjectOwnership = ObjectOwnership.BucketOwnerEnforced });
        controls = await Owner.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = "created-enforced" });
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced, Assert.Single(controls.OwnershipControls.Rules).ObjectOwnership);

        await S3Assert.FailsWith("InvalidArgument", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-bogus", ObjectOwnership = new ObjectOwnership("BucketOwnerMaybe") }));
        await S3Assert.FailsWith("NoSuchBucket", HttpStatusCode.NotFound, () => Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "created-bogus" }));
    }

    [Fact]
    public async Task Create_bucket_stores_its_acl_header_unless_the_bucket_is_BucketOwnerEnforced_or_the_acl_is_public()
    {
        await S3Assert.FailsWith("InvalidBucketAclWithObjectOwnership", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-enforced-acl", CannedACL = S3CannedACL.PublicRead }));
        await S3Assert.FailsWith("InvalidBucketAclWithObjectOwnership", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-enforced-acl", CannedACL = S3CannedACL.LogDeliveryWrite, ObjectOwnership = ObjectOwnership.BucketOwnerEnforced }));
        await S3Assert.FailsWith("NoSuchBucket", HttpStatusCode.NotFound, () => Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "created-enforced-acl" }));

        // A new bucket blocks public access (AWS's default), so a public ACL cannot come with CreateBucket.
        await S3Assert.FailsWith("InvalidBucketAclWithBlockPublicAccessError", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-public-list", CannedACL = S3CannedACL.PublicRead, ObjectOwnership = ObjectOwnership.ObjectWriter }));
        await S3Assert.FailsWith("NoSuchBucket", HttpStatusCode.NotFound, () => Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "created-public-list" }));

        await Owner.PutBucketAsync(new PutBucketRequest
        {
            BucketName = "created-shared-list",
            ObjectOwnership = ObjectOwnership.ObjectWriter,
            Grants = [new S3Grant { Grantee = new S3Grantee { CanonicalUser = AlternateCanonicalId }, Permission = S3Permission.READ }],
        });
        var acl = await Owner.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "created-shared-list" });
        Assert.Contains(acl.Grants, g => g.Grantee.CanonicalUser == AlternateCanonicalId && g.Permission == S3Permission.READ);
        Assert.Equal(HttpStatusCode.OK, (await Alternate.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "created-shared-list" })).HttpStatusCode);

        // AWS's way to a public bucket ACL: create the bucket, delete the block, then PutBucketAcl.
        await Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-public-list", ObjectOwnership = ObjectOwnership.ObjectWriter });
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = "created-public-list" });
        await Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = "created-public-list", ACL = S3CannedACL.PublicRead });
        acl = await Owner.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "created-public-list" });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == AllUsers && g.Permission == S3Permission.READ);
        using var http = accounts.Server.Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/created-public-list")).StatusCode);

        await S3Assert.FailsWith("InvalidArgument", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAsync(new PutBucketRequest { BucketName = "created-bad-acl", CannedACL = new S3CannedACL("public-maybe"), ObjectOwnership = ObjectOwnership.ObjectWriter }));
        await S3Assert.FailsWith("NoSuchBucket", HttpStatusCode.NotFound, () => Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "created-bad-acl" }));
    }

    [Fact]
    public async Task A_missing_key_is_404_only_for_a_requester_who_may_list_the_bucket()
    {
        const string bucket = "missing-keys";
        await Owner.PutBucketAsync(bucket);
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject"));

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(bucket, "absent"));
        var head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => Alternate.GetObjectMetadataAsync(bucket, "absent"));
        Assert.Equal(HttpStatusCode.Forbidden, head.StatusCode);
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => Owner.GetObjectAsync(bucket, "absent"));

        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject", "s3:ListBucket"));
        await S3Assert.FailsWith("NoSuchKey", HttpStatusCode.NotFound, () => Alternate.GetObjectAsync(bucket, "absent"));
        head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => Alternate.GetObjectMetadataAsync(bucket, "absent"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        // Anonymous: a public read policy without ListBucket hides which keys exist.
        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));
        using var http = accounts.Server.Http();
        var response = await http.GetAsync($"/{bucket}/absent");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_access_log_records_a_read_through_a_stored_object_acl_and_a_hidden_missing_key()
    {
        var bucket = await AclBucketAsync("logged-object-acls", ObjectOwnership.ObjectWriter);
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutBucketAsync("logged-object-acls-logs");
        await LogHarness.EnableAsync(Owner, bucket, "logged-object-acls-logs", "acl/");
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject"));
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public", ContentBody = "open", CannedACL = S3CannedACL.PublicRead });

        using var http = accounts.Server.Http();
        using var anonymous = await http.GetAsync($"/{bucket}/public");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        var anonymousId = anonymous.Headers.GetValues("x-amz-request-id").Single();
        var hidden = await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Alternate.GetObjectAsync(bucket, "absent"));

        // A record lands when its response has completed, just after the client has seen it: flush until both are there.
        List<ParsedAccessLogLine> lines = [];
        for (var attempt = 0; attempt < 20 && !(Has(anonymousId) && Has(hidden.RequestId)); attempt++)
        {
            lines = await LogHarness.FlushAndReadAsync(accounts.Server, Owner, "logged-object-acls-logs", "acl/");
        }

        var read = LogHarness.Single(lines, anonymousId, "REST.GET.OBJECT");
        Assert.Equal(("200", "-", "Yes"), (read.F(AccessLogField.HttpStatus), read.F(AccessLogField.Requester), read.F(AccessLogField.AclRequired)));
        var denied = LogHarness.Single(lines, hidden.RequestId, "REST.GET.OBJECT");
        Assert.Equal(("403", "AccessDenied", "absent"), (denied.F(AccessLogField.HttpStatus), denied.F(AccessLogField.ErrorCode), denied.F(AccessLogField.Key)));

        bool Has(string requestId) => lines.Any(l => l.Record.RequestId == requestId);
    }

    private async Task<string> AclBucketAsync(string bucket, ObjectOwnership ownership)
    {
        await Owner.PutBucketAsync(bucket);
        await Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ownership }] },
        });
        return bucket;
    }

    private async Task<string> ListedOwnerAsync(string bucket, string key)
    {
        var listing = await Owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = key, FetchOwner = true });
        return Assert.Single(listing.S3Objects, o => o.Key == key).Owner.Id;
    }

    private static async Task<string> ReadAsync(AmazonS3Client client, string bucket, string key)
    {
        using var response = await client.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}
