using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tally.Server.Tests.Access;

/// <summary>Object Ownership and ACL documents through the SDK.</summary>
public sealed class OwnershipAndAclTests(TwoAccounts accounts) : IClassFixture<TwoAccounts>
{
    private AmazonS3Client Owner => accounts.Owner;

    [Fact]
    public async Task A_new_bucket_is_BucketOwnerEnforced_and_deleting_the_controls_enables_acls()
    {
        const string bucket = "ownership-default";
        await Owner.PutBucketAsync(bucket);

        var controls = await Owner.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket });
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced, Assert.Single(controls.OwnershipControls.Rules).ObjectOwnership);
        var acl = await Owner.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket });
        var grant = Assert.Single(acl.Grants);
        Assert.Equal((accounts.OwnerCanonicalId, S3Permission.FULL_CONTROL), (grant.Grantee.CanonicalUser, grant.Permission));

        // bucket-owner-full-control (or its equivalent) is the one ACL an enforced bucket accepts.
        await Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.BucketOwnerFullControl });
        await S3Assert.FailsWith("AccessControlListNotSupported", HttpStatusCode.BadRequest,
            () => Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.LogDeliveryWrite }));
        await S3Assert.FailsWith("AccessControlListNotSupported", HttpStatusCode.BadRequest,
            () => Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v", CannedACL = S3CannedACL.PublicRead }));
        await Owner.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v", CannedACL = S3CannedACL.BucketOwnerFullControl });

        await Owner.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = bucket });
        await S3Assert.FailsWith("OwnershipControlsNotFoundError", HttpStatusCode.NotFound,
            () => Owner.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }));
        await Owner.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.LogDeliveryWrite });
        acl = await Owner.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/s3/LogDelivery" && g.Permission == S3Permission.WRITE);
        Assert.Contains(acl.Grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/s3/LogDelivery" && g.Permission == S3Permission.READ_ACP);
    }

    [Fact]
    public async Task Grant_headers_and_an_acl_document_set_the_bucket_acl()
    {
        const string bucket = "acl-grants";
        await Owner.PutBucketAsync(bucket);
        await Owner.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.ObjectWriter }] },
        });
        var alternate = accounts.AlternateRoot.Identity.CanonicalUserId;
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => accounts.Alternate.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));

        await Owner.PutBucketAclAsync(new PutBucketAclRequest
        {
            BucketName = bucket,
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = new Owner { Id = accounts.OwnerCanonicalId },
                Grants =
                [
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = accounts.OwnerCanonicalId }, Permission = S3Permission.FULL_CONTROL },
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = alternate }, Permission = S3Permission.READ },
                ],
            },
        });

        // The alternate account's root lists through the ACL grant to its canonical id.
        Assert.Empty((await accounts.Alternate.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);
        await S3Assert.FailsWith("AccessDenied", HttpStatusCode.Forbidden, () => accounts.Alternate.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }));

        using var http = accounts.Server.Http();
        var request = new HttpRequestMessage(HttpMethod.Put, $"/{bucket}?acl");
        request.Headers.Add("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"");
        request.Headers.Add("x-amz-acl", "private");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);

        await S3Assert.FailsWith("UnresolvableGrantByEmailAddress", HttpStatusCode.BadRequest, () => Owner.PutBucketAclAsync(new PutBucketAclRequest
        {
            BucketName = bucket,
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = new Owner { Id = accounts.OwnerCanonicalId },
                Grants = [new S3Grant { Grantee = new S3Grantee { EmailAddress = "someone@example.com" }, Permission = S3Permission.READ }],
            },
        }));
    }

    [Fact]
    public async Task Canned_acl_and_grant_headers_together_are_an_invalid_request()
    {
        const string bucket = "acl-both";
        await Owner.PutBucketAsync(bucket);
        await Owner.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = bucket });

        var error = await S3Assert.FailsWith("InvalidRequest", HttpStatusCode.BadRequest, () => Owner.PutBucketAclAsync(new PutBucketAclRequest
        {
            BucketName = bucket,
            ACL = S3CannedACL.PublicRead,
            GrantRead = "uri=\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\"",
        }));
        Assert.Equal("Specifying both Canned ACLs and Header Grants is not allowed", error.Message);
    }
}
