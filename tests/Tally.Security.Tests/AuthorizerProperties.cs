using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tally.Security.Acls;
using Tally.Security.Policies;
using static Tally.Security.Tests.Policies.Principals;

namespace Tally.Security.Tests;

/// <summary>
/// For random policies and requests: adding a Deny statement never grants more, and removing an
/// Allow statement never grants more, whichever policy (bucket or identity) it is added to or
/// removed from.
/// </summary>
public sealed class AuthorizerProperties
{
    private static readonly string[] PrincipalElements =
    [
        "\"*\"", "{\"AWS\":\"*\"}", "{\"AWS\":\"111122223333\"}", "{\"AWS\":\"arn:aws:iam::444455556666:root\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}", "{\"AWS\":[\"arn:aws:iam::444455556666:user/bob\",\"111122223333\"]}",
        "{\"Service\":\"logging.s3.amazonaws.com\"}", "{\"CanonicalUser\":\"" + new string('b', 64) + "\"}",
    ];

    private static readonly string[] ActionElements =
        ["\"s3:*\"", "\"*\"", "\"s3:Get*\"", "[\"s3:GetObject\",\"s3:ListBucket\"]", "\"s3:PutObject\"", "\"s3:DeleteObject\"", "\"s3:*Object\"", "\"s3:GetBucketAcl\""];

    private static readonly string[] ResourceElements =
    [
        "[\"arn:aws:s3:::amzn-s3-demo-bucket\",\"arn:aws:s3:::amzn-s3-demo-bucket/*\"]",
        "[\"arn:aws:s3:::amzn-s3-demo-bucket/a/*\",\"arn:aws:s3:::amzn-s3-demo-bucket\"]",
        "\"arn:aws:s3:::amzn-s3-demo-*\"",
        "[\"arn:aws:s3:::amzn-s3-demo-bucket/?/x\",\"arn:aws:s3:::amzn-s3-demo-bucket\"]",
    ];

    private static readonly string[] ConditionElements =
    [
        "", ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}", ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}",
        ",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", ",\"Condition\":{\"StringLike\":{\"s3:prefix\":\"a/*\"}}",
        ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":\"444455556666\"},\"Null\":{\"s3:prefix\":\"true\"}}",
        ",\"Condition\":{\"StringNotEquals\":{\"aws:username\":\"alice\"}}",
    ];

    private static readonly string[] Actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetBucketAcl", "s3:GetObjectAcl"];

    private static Gen<Statement> StatementGen(bool identity) =>
        from effect in Gen.Elements("Allow", "Deny")
        from notPrincipal in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from principal in Gen.Elements(PrincipalElements)
        from notAction in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from action in Gen.Elements(ActionElements)
        from notResource in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        from resource in Gen.Elements(ResourceElements)
        from condition in Gen.Elements(ConditionElements)
        select new Statement(effect, identity ? null : (notPrincipal ? "NotPrincipal" : "Principal") + "\":" + principal, (notAction ? "NotAction" : "Action") + "\":" + action, (notResource ? "NotResource" : "Resource") + "\":" + resource, condition);

    private static Gen<Scenario> ScenarioGen =>
        from principal in Gen.Elements("owner-root", "owner-user", "other-root", "other-user", "anonymous", "logging")
        from action in Gen.Elements(Actions)
        from key in Gen.Elements("", "a/x", "b/x", "c")
        from secure in Gen.Elements(true, false)
        from ip in Gen.Elements("192.0.2.9", "10.1.2.3", "2001:db8::5")
        from prefix in Gen.Elements<string?>(null, "a/", "b/")
        from bucketPolicy in Gen.ListOf(StatementGen(identity: false)).Select(l => l.Take(5).ToList())
        from identityPolicy in Gen.ListOf(StatementGen(identity: true)).Select(l => l.Take(4).ToList())
        from hasIdentityPolicy in Gen.Elements(true, false)
        from acl in Gen.Elements<string?>(null, CannedAcl.Private, CannedAcl.PublicRead, CannedAcl.PublicReadWrite, CannedAcl.AuthenticatedRead, CannedAcl.LogDeliveryWrite)
        from block in Gen.Elements(PublicAccessBlock.None, PublicAccessBlock.All, new PublicAccessBlock(false, true, false, false), new PublicAccessBlock(false, false, false, true))
        from extraDeny in StatementGen(identity: false).Select(s => s with { Effect = "Deny" })
        from extraIdentityDeny in StatementGen(identity: true).Select(s => s with { Effect = "Deny" })
        from removeAt in Gen.Choose(0, 8)
        select new Scenario(principal, action, key, secure, ip, prefix, bucketPolicy, hasIdentityPolicy ? identityPolicy : null, acl, block, extraDeny, extraIdentityDeny, removeAt);

    [Property(MaxTest = 1000)]
    public Property Adding_a_deny_to_the_bucket_policy_never_grants_more() =>
        Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
            !Allowed(s, s.BucketPolicy.Append(s.ExtraDeny).ToList(), s.IdentityPolicy) || Allowed(s, s.BucketPolicy, s.IdentityPolicy));

    [Property(MaxTest = 1000)]
    public Property Adding_a_deny_to_the_identity_policy_never_grants_more() =>
        Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
            !Allowed(s, s.BucketPolicy, (s.IdentityPolicy ?? []).Append(s.ExtraIdentityDeny).ToList()) || Allowed(s, s.BucketPolicy, s.IdentityPolicy));

    // RestrictPublicBuckets is left out: AWS documents that it blocks "public and cross-account
    // access within any public bucket policy, including non-public delegation to specific
    // accounts", so removing the public Allow un-blocks the others (see the fact below).
    [Property(MaxTest = 1000)]
    public Property Removing_an_allow_from_the_bucket_policy_never_grants_more() =>
        Prop.ForAll(ScenarioGen.Where(s => !s.Block.RestrictPublicBuckets).ToArbitrary(), s =>
        {
            var allows = s.BucketPolicy.Select((statement, i) => (statement, i)).Where(p => p.statement.Effect == "Allow").ToList();
            if (allows.Count == 0)
            {
                return true;
            }

            var removed = s.BucketPolicy.Where((_, i) => i != allows[s.RemoveAt % allows.Count].i).ToList();
            return !Allowed(s, removed, s.IdentityPolicy) || Allowed(s, s.BucketPolicy, s.IdentityPolicy);
        });

    [Property(MaxTest = 1000)]
    public Property Removing_an_allow_from_the_identity_policy_never_grants_more() =>
        Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
        {
            var statements = s.IdentityPolicy ?? [];
            var allows = statements.Select((statement, i) => (statement, i)).Where(p => p.statement.Effect == "Allow").ToList();
            if (allows.Count == 0)
            {
                return true;
            }

            var removed = statements.Where((_, i) => i != allows[s.RemoveAt % allows.Count].i).ToList();
            return !Allowed(s, s.BucketPolicy, removed) || Allowed(s, s.BucketPolicy, s.IdentityPolicy);
        });

    [Fact]
    public void Under_RestrictPublicBuckets_removing_the_public_allow_restores_cross_account_delegation()
    {
        var delegation = new Statement("Allow", "Principal\":{\"AWS\":\"444455556666\"}", "Action\":\"s3:GetObject\"", "Resource\":\"arn:aws:s3:::amzn-s3-demo-bucket/*\"", string.Empty);
        var everyone = delegation with { Principal = "Principal\":\"*\"", Action = "Action\":\"s3:ListBucket\"", Resource = "Resource\":\"arn:aws:s3:::amzn-s3-demo-bucket\"" };
        var scenario = new Scenario("other-root", "s3:GetObject", "a/x", true, "192.0.2.9", null, [everyone, delegation], null, null, new PublicAccessBlock(false, false, false, true), everyone, everyone, 0);

        Assert.False(Allowed(scenario, [everyone, delegation], null));
        Assert.True(Allowed(scenario, [delegation], null));
    }

    [Fact]
    public void The_generated_policies_parse_and_decide_both_ways()
    {
        // Guards the properties against vacuity: the generator yields valid documents, and both
        // outcomes occur often.
        var scenarios = ScenarioGen.Sample(500, 400);
        var allowed = scenarios.Count(s => Allowed(s, s.BucketPolicy, s.IdentityPolicy));

        Assert.InRange(allowed, 50, 450);
    }

    private static bool Allowed(Scenario s, IReadOnlyList<Statement> bucketStatements, IReadOnlyList<Statement>? identityStatements)
    {
        var caller = ByName(s.Principal);
        var resource = s.Key.Length == 0 ? PolicyRequest.BucketArn(Bucket) : PolicyRequest.ObjectArn(Bucket, s.Key);
        var request = Request(caller, s.Action, resource, context => context
            .Set("aws:SecureTransport", s.Secure ? "true" : "false")
            .Set("aws:SourceIp", s.Ip)
            .Set("s3:prefix", s.Prefix));
        var acl = s.Acl is null ? null : CannedAcl.Build(s.Acl, OwnerCanonical, OwnerCanonical);
        return Authorizer.Authorize(new AuthorizationRequest
        {
            Principal = caller,
            Action = s.Action,
            Resource = resource,
            Context = request.Context,
            BucketOwnerAccountId = OwnerAccount,
            BucketPolicy = Document(bucketStatements, identity: false),
            IdentityPolicy = identityStatements is null ? null : Document(identityStatements, identity: true),
            BucketAcl = acl,
            ObjectAcl = acl,
            Ownership = acl is null ? ObjectOwnership.BucketOwnerEnforced : ObjectOwnership.ObjectWriter,
            PublicAccessBlock = s.Block,
        }).IsAllowed;
    }

    private static PolicyDocument? Document(IReadOnlyList<Statement> statements, bool identity)
    {
        if (statements.Count == 0)
        {
            return null;
        }

        var json = "{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements.Select(s => s.Json)) + "]}";
        return identity ? PolicyDocument.ParseIdentityPolicy(json) : PolicyDocument.ParseBucketPolicy(json, Bucket);
    }

    public sealed record Statement(string Effect, string? Principal, string Action, string Resource, string Condition)
    {
        public string Json => "{\"Effect\":\"" + Effect + "\"," + (Principal is null ? string.Empty : "\"" + Principal + ",") + "\"" + Action + ",\"" + Resource + Condition + "}";
    }

    public sealed record Scenario(
        string Principal,
        string Action,
        string Key,
        bool Secure,
        string Ip,
        string? Prefix,
        List<Statement> BucketPolicy,
        List<Statement>? IdentityPolicy,
        string? Acl,
        PublicAccessBlock Block,
        Statement ExtraDeny,
        Statement ExtraIdentityDeny,
        int RemoveAt);
}
