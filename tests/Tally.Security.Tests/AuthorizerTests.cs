using Tally.Security.Acls;
using Tally.Security.Policies;
using static Tally.Security.Tests.Policies.Principals;

namespace Tally.Security.Tests;

/// <summary>principal × action × resource × (identity policy, bucket policy, ACL, ownership, public access block) → decision.</summary>
public sealed class AuthorizerTests
{
    private static readonly Dictionary<string, string?> BucketPolicies = new()
    {
        ["none"] = null,
        ["public-read"] = """{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}""",
        ["other-account"] = """{"Version":"2012-10-17","Statement":[{"Sid":"OtherAccount","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]}]}""",
        ["other-then-deny"] = """
            {"Version":"2012-10-17","Statement":[
             {"Sid":"OtherAccount","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]},
             {"Sid":"NoDeletes","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
            """,
        ["alice"] = """{"Version":"2012-10-17","Statement":[{"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}""",
        ["owner-account"] = """{"Version":"2012-10-17","Statement":[{"Sid":"OwnerAccount","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}""",
        ["deny-all"] = """{"Version":"2012-10-17","Statement":[{"Sid":"LockOut","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]}]}""",
        ["tls-only"] = """{"Version":"2012-10-17","Statement":[{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""",
    };

    private static readonly Dictionary<string, string?> IdentityPolicies = new()
    {
        ["none"] = null,
        ["readonly"] = Tally.Security.Policies.IdentityPolicies.ReadOnly,
        ["readwrite"] = Tally.Security.Policies.IdentityPolicies.ReadWrite,
        ["deny-get"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"NoGet","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}""",
    };

    // principal, action, key ("" = bucket), identity policy, bucket policy, ACL (canned, or "-" = none; ACLs enabled when not "-"), public access block, allowed, source, statement
    public static TheoryData<string, string, string, string, string, string, bool, bool, AuthorizationSource, string?> Cases => new()
    {
        // The owner's root user may do everything on its own bucket, whatever the other documents say…
        { "owner-root", "s3:GetObject", "k", "none", "none", "-", false, true, AuthorizationSource.BucketOwner, null },
        { "owner-root", "s3:PutBucketAcl", "", "none", "none", "-", false, true, AuthorizationSource.BucketOwner, null },
        // …except what an explicit Deny forbids; it can still manage the policy that locks it out.
        { "owner-root", "s3:GetObject", "k", "none", "deny-all", "-", false, false, AuthorizationSource.BucketPolicy, "LockOut" },
        { "owner-root", "s3:PutBucketPolicy", "", "none", "deny-all", "-", false, true, AuthorizationSource.BucketOwner, null },
        { "owner-root", "s3:DeleteBucketPolicy", "", "none", "deny-all", "-", false, true, AuthorizationSource.BucketOwner, null },
        { "owner-root", "s3:GetObject", "k", "none", "tls-only", "-", false, false, AuthorizationSource.BucketPolicy, "TlsOnly" },
        // A user of the owner's account: nothing without an identity policy, unless the bucket names it.
        { "owner-user", "s3:GetObject", "k", "none", "none", "-", false, false, AuthorizationSource.None, null },
        { "owner-user", "s3:GetObject", "k", "readonly", "none", "-", false, true, AuthorizationSource.IdentityPolicy, "TallyReadOnly" },
        { "owner-user", "s3:PutObject", "k", "readonly", "none", "-", false, false, AuthorizationSource.None, null },
        { "owner-user", "s3:PutObject", "k", "readwrite", "none", "-", false, true, AuthorizationSource.IdentityPolicy, "TallyReadWrite" },
        { "owner-user", "s3:GetObject", "k", "deny-get", "none", "-", false, false, AuthorizationSource.IdentityPolicy, "NoGet" },
        { "owner-user", "s3:GetObject", "k", "none", "alice", "-", false, true, AuthorizationSource.BucketPolicy, "Alice" },
        { "owner-user", "s3:GetObject", "k", "none", "owner-account", "-", false, false, AuthorizationSource.None, null },
        { "owner-user", "s3:GetObject", "k", "none", "public-read", "-", false, true, AuthorizationSource.BucketPolicy, "PublicRead" },
        // Another account: denied, allowed by a policy, denied again by a Deny.
        { "other-root", "s3:GetObject", "k", "none", "none", "-", false, false, AuthorizationSource.None, null },
        { "other-root", "s3:GetObject", "k", "none", "other-account", "-", false, true, AuthorizationSource.BucketPolicy, "OtherAccount" },
        { "other-root", "s3:DeleteObject", "k", "none", "other-account", "-", false, false, AuthorizationSource.None, null },
        { "other-root", "s3:DeleteObject", "k", "none", "other-then-deny", "-", false, false, AuthorizationSource.BucketPolicy, "NoDeletes" },
        { "other-root", "s3:PutObject", "k", "none", "other-then-deny", "-", false, true, AuthorizationSource.BucketPolicy, "OtherAccount" },
        // A user of another account needs both sides.
        { "other-user", "s3:GetObject", "k", "none", "other-account", "-", false, false, AuthorizationSource.None, null },
        { "other-user", "s3:GetObject", "k", "readonly", "other-account", "-", false, true, AuthorizationSource.BucketPolicy, "OtherAccount" },
        { "other-user", "s3:GetObject", "k", "readonly", "none", "-", false, false, AuthorizationSource.None, null },
        { "other-user", "s3:DeleteObject", "k", "readwrite", "other-then-deny", "-", false, false, AuthorizationSource.BucketPolicy, "NoDeletes" },
        // Anonymous: only a public policy or ACL, and not through the public access block.
        { "anonymous", "s3:GetObject", "k", "none", "none", "-", false, false, AuthorizationSource.None, null },
        { "anonymous", "s3:GetObject", "k", "none", "public-read", "-", false, true, AuthorizationSource.BucketPolicy, "PublicRead" },
        { "anonymous", "s3:GetObject", "k", "none", "public-read", "-", true, false, AuthorizationSource.BucketPolicy, null },
        { "anonymous", "s3:ListBucket", "", "none", "public-read", "-", false, false, AuthorizationSource.None, null },
        { "anonymous", "s3:ListBucket", "", "none", "none", "public-read", false, true, AuthorizationSource.Acl, null },
        { "anonymous", "s3:ListBucket", "", "none", "none", "public-read", true, false, AuthorizationSource.None, null },
        { "anonymous", "s3:PutObject", "k", "none", "none", "public-read-write", false, true, AuthorizationSource.Acl, null },
        { "anonymous", "s3:PutObject", "k", "none", "none", "public-read", false, false, AuthorizationSource.None, null },
        { "other-root", "s3:ListBucket", "", "none", "none", "authenticated-read", false, true, AuthorizationSource.Acl, null },
        { "anonymous", "s3:ListBucket", "", "none", "none", "authenticated-read", false, false, AuthorizationSource.None, null },
        { "other-user", "s3:ListBucket", "", "none", "none", "authenticated-read", false, false, AuthorizationSource.None, null },
        { "other-user", "s3:ListBucket", "", "readonly", "none", "authenticated-read", false, true, AuthorizationSource.Acl, null },
        // The owner's account under RestrictPublicBuckets still gets what the public policy grants.
        { "owner-user", "s3:GetObject", "k", "none", "public-read", "-", true, true, AuthorizationSource.BucketPolicy, "PublicRead" },
        // Log delivery: the LogDelivery group's grant.
        { "logging", "s3:PutObject", "log", "none", "none", "log-delivery-write", false, true, AuthorizationSource.Acl, null },
        { "logging", "s3:PutObject", "log", "none", "none", "private", false, false, AuthorizationSource.None, null },
        { "logging", "s3:PutObject", "log", "none", "tls-only", "log-delivery-write", false, false, AuthorizationSource.BucketPolicy, "TlsOnly" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_as_AWS_documents(string principal, string action, string key, string identityPolicy, string bucketPolicy, string acl, bool blockPublic, bool allowed, AuthorizationSource source, string? statement)
    {
        var decision = Authorizer.Authorize(Build(principal, action, key, identityPolicy, bucketPolicy, acl, blockPublic));

        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(source, decision.Source);
        Assert.Equal(statement, decision.Statement);
        Assert.Equal(allowed && source == AuthorizationSource.Acl, decision.AclRequired);
        Assert.False(string.IsNullOrEmpty(decision.Reason));
    }

    [Fact]
    public void Acl_grants_count_only_when_acls_are_enabled()
    {
        var request = Build("anonymous", "s3:ListBucket", "", "none", "none", "public-read", blockPublic: false);

        Assert.True(Authorizer.Authorize(request).IsAllowed);
        Assert.False(Authorizer.Authorize(request with { Ownership = ObjectOwnership.BucketOwnerEnforced }).IsAllowed);
    }

    [Fact]
    public void Object_reads_are_granted_by_the_object_acl_and_writes_by_the_bucket_acl()
    {
        var publicObject = CannedAcl.Build(CannedAcl.PublicRead, OwnerCanonical, OwnerCanonical);
        var request = Build("anonymous", "s3:GetObject", "k", "none", "none", "private", blockPublic: false) with { ObjectAcl = publicObject };

        Assert.True(Authorizer.Authorize(request).AclRequired);
        Assert.False(Authorizer.Authorize(request with { ObjectAcl = null, BucketAcl = publicObject }).IsAllowed);
        Assert.True(Authorizer.UsesObjectAcl("s3:GetObjectAcl"));
        Assert.False(Authorizer.UsesObjectAcl("s3:PutObject"));
    }

    [Fact]
    public void Listing_buckets_and_creating_one_depend_on_the_caller_alone()
    {
        AuthorizationRequest Service(string principal, string identityPolicy, string action) => new()
        {
            Principal = ByName(principal),
            Action = action,
            Resource = Authorizer.AllBucketsResource,
            Context = new PolicyContext(),
            BucketOwnerAccountId = null,
            IdentityPolicy = IdentityPolicies[identityPolicy] is { } json ? PolicyDocument.ParseIdentityPolicy(json) : null,
        };

        Assert.True(Authorizer.Authorize(Service("other-root", "none", "s3:ListAllMyBuckets")).IsAllowed);
        Assert.True(Authorizer.Authorize(Service("owner-user", "readonly", "s3:ListAllMyBuckets")).IsAllowed);
        Assert.False(Authorizer.Authorize(Service("owner-user", "none", "s3:ListAllMyBuckets")).IsAllowed);
        Assert.False(Authorizer.Authorize(Service("owner-user", "readonly", "s3:CreateBucket")).IsAllowed);
        Assert.False(Authorizer.Authorize(Service("anonymous", "none", "s3:ListAllMyBuckets")).IsAllowed);
    }

    internal static AuthorizationRequest Build(string principal, string action, string key, string identityPolicy, string bucketPolicy, string acl, bool blockPublic)
    {
        var caller = ByName(principal);
        var resource = key.Length == 0 ? PolicyRequest.BucketArn(Bucket) : PolicyRequest.ObjectArn(Bucket, key);
        // Every request of the table came over plain HTTP (the TLS-only policy denies them all).
        var request = Request(caller, action, resource, context => context.Set("aws:SecureTransport", "false"));
        var aclsEnabled = acl != "-";
        var bucketAcl = aclsEnabled ? CannedAcl.Build(acl, OwnerCanonical, OwnerCanonical) : null;
        return new AuthorizationRequest
        {
            Principal = caller,
            Action = action,
            Resource = resource,
            Context = request.Context,
            BucketOwnerAccountId = OwnerAccount,
            IdentityPolicy = IdentityPolicies[identityPolicy] is { } identityJson ? PolicyDocument.ParseIdentityPolicy(identityJson) : null,
            BucketPolicy = BucketPolicies[bucketPolicy] is { } bucketJson ? PolicyDocument.ParseBucketPolicy(bucketJson, Bucket) : null,
            BucketAcl = bucketAcl,
            ObjectAcl = aclsEnabled ? bucketAcl : null,
            Ownership = aclsEnabled ? ObjectOwnership.ObjectWriter : ObjectOwnership.BucketOwnerEnforced,
            PublicAccessBlock = blockPublic ? PublicAccessBlock.All : PublicAccessBlock.None,
        };
    }
}
