using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Server.Tests.Access;

/// <summary>Anonymous reads work only with a public policy or ACL, and the public access block stops them.</summary>
public sealed class PublicAccessTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private AmazonS3Client Owner => accounts.Owner;

    [Fact]
    public async Task Anonymous_reads_need_a_public_policy_and_are_blocked_by_RestrictPublicBuckets()
    {
        const string bucket = "public-by-policy";
        await Owner.PutBucketAsync(bucket);

        // A new bucket blocks public access (AWS's default): a public policy needs the block gone first.
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "index.html", ContentBody = "<h1>hi</h1>" });
        using var http = accounts.Server.Http();

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/index.html")).StatusCode);

        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));
        var response = await http.GetAsync($"/{bucket}/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<h1>hi</h1>", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsync($"/{bucket}/index.html", new StringContent("defaced"))).StatusCode);

        await Owner.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { RestrictPublicBuckets = true },
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/index.html")).StatusCode);

        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/{bucket}/index.html")).StatusCode);
    }

    [Fact]
    public async Task The_anonymous_sdk_client_is_denied_with_AWSs_bare_message()
    {
        const string bucket = "anonymous-sdk";
        await Owner.PutBucketAsync(bucket);
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        using var anonymous = accounts.Anonymous();

        var error = await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => anonymous.GetObjectAsync(bucket, "k"));
        Assert.Equal("Access Denied", error.Message);
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => anonymous.ListBucketsAsync());

        await Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket));
        using var response = await anonymous.GetObjectAsync(bucket, "k");
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
    }

    [Fact]
    public async Task BlockPublicPolicy_refuses_a_public_policy_but_not_a_private_one()
    {
        const string bucket = "block-public-policy";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicPolicy = true },
        });

        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => Owner.PutBucketPolicyAsync(bucket, Policies.PublicRead(bucket)));
        await Owner.PutBucketPolicyAsync(bucket, Policies.AllowAccount(bucket, accounts.AlternateRoot.Identity.AccountId, "s3:GetObject"));

        var block = (await Owner.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration;
        Assert.True(block.BlockPublicPolicy);
        Assert.False(block.BlockPublicAcls);
        Assert.False((await Owner.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);
    }

    [Fact]
    public async Task A_public_object_acl_lets_anonymous_read_when_acls_are_enabled_and_IgnorePublicAcls_stops_it()
    {
        const string bucket = "public-by-acl";
        await Owner.PutBucketAsync(bucket);
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "photo.jpg", ContentBody = "jpeg" });
        using var http = accounts.Server.Http();

        // New buckets are BucketOwnerEnforced: ACLs are disabled and cannot be made public.
        await S3Assert.FailsWith("AccessControlListNotSupported", HttpStatusCode.BadRequest,
            () => Owner.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "photo.jpg", ACL = S3CannedACL.PublicRead }));

        await Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.ObjectWriter }] },
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/photo.jpg")).StatusCode);

        await Owner.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "photo.jpg", ACL = S3CannedACL.PublicRead });
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/{bucket}/photo.jpg")).StatusCode);
        var acl = await Owner.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "photo.jpg" });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/global/AllUsers" && g.Permission == S3Permission.READ);

        await Owner.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { IgnorePublicAcls = true, BlockPublicAcls = true },
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/photo.jpg")).StatusCode);
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden,
            () => Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead }));

        // Overwriting the object drops its ACL: the new object is private again.
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "photo.jpg", ContentBody = "new jpeg" });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}/photo.jpg")).StatusCode);
    }

    [Fact]
    public async Task A_public_read_bucket_acl_lets_anonymous_list()
    {
        const string bucket = "listable-by-acl";
        await Owner.PutBucketAsync(bucket);
        await Owner.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerPreferred }] },
        });
        using var http = accounts.Server.Http();
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}?list-type=2")).StatusCode);

        await Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead });

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/{bucket}?list-type=2")).StatusCode);
        var acl = await Owner.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket });
        Assert.Equal(accounts.OwnerCanonicalId, acl.Owner.Id);
        Assert.Equal(2, acl.Grants.Count);

        // Enforcing ownership while the ACL grants others is refused; after resetting it to private it works.
        await S3Assert.FailsWith("InvalidBucketAclWithObjectOwnership", HttpStatusCode.BadRequest, () => Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerEnforced }] },
        }));
        await Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.Private });
        await Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerEnforced }] },
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/{bucket}?list-type=2")).StatusCode);
    }
}
