using Tally.Security.Policies;
using static Tally.Security.Tests.Policies.Principals;

namespace Tally.Security.Tests.Policies;

/// <summary>
/// The bucket policy examples of the Amazon S3 user guide (example-bucket-policies.html,
/// enable-server-access-logging.html), as tables: principal × action × resource × keys → decision.
/// </summary>
public sealed class UserGuideExampleTests
{
    private static readonly string LogDeliveryPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Sid": "S3ServerAccessLogsPolicy",
            "Effect": "Allow",
            "Principal": { "Service": "logging.s3.amazonaws.com" },
            "Action": ["s3:PutObject"],
            "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/logs/*",
            "Condition": {
              "ArnLike": { "aws:SourceArn": "arn:aws:s3:::source-bucket" },
              "StringEquals": { "aws:SourceAccount": "111122223333" }
            }
          }]
        }
        """;

    private static readonly string PublicReadPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Sid": "PublicRead",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/*"]
          }]
        }
        """;

    private static readonly string IpAllowListPolicy = """
        {
          "Id": "SourceIP",
          "Version": "2012-10-17",
          "Statement": [{
            "Sid": "SourceIP",
            "Action": "s3:*",
            "Effect": "Deny",
            "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"],
            "Condition": { "NotIpAddress": { "aws:SourceIp": ["192.0.2.0/24", "2001:DB8:1234:5678::/64"] } },
            "Principal": "*"
          }]
        }
        """;

    private static readonly string TlsOnlyPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Sid": "RestrictToTLSRequestsOnly",
            "Action": "s3:*",
            "Effect": "Deny",
            "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"],
            "Condition": { "Bool": { "aws:SecureTransport": "false" } },
            "Principal": "*"
          }]
        }
        """;

    private static readonly string CrossAccountPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "CrossAccountList",
              "Effect": "Allow",
              "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
              "Action": "s3:ListBucket",
              "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"
            },
            {
              "Sid": "CrossAccountObjects",
              "Effect": "Allow",
              "Principal": { "AWS": ["444455556666"] },
              "Action": ["s3:GetObject", "s3:PutObject"],
              "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
            }
          ]
        }
        """;

    // principal, action, resource suffix ("" = the bucket, "/key" = an object), extra keys, expected decision, deciding Sid
    public static TheoryData<string, string, string, string, PolicyDecision, string?> LogDeliveryCases => new()
    {
        { "logging", "s3:PutObject", "/logs/2024-06-01-12-00-00-ABC", "source=arn:aws:s3:::source-bucket;account=111122223333", PolicyDecision.Allow, "S3ServerAccessLogsPolicy" },
        { "logging", "s3:PutObject", "/logs/2024-06-01-12-00-00-ABC", "source=arn:aws:s3:::other-bucket;account=111122223333", PolicyDecision.NotApplicable, null },
        { "logging", "s3:PutObject", "/logs/2024-06-01-12-00-00-ABC", "source=arn:aws:s3:::source-bucket;account=444455556666", PolicyDecision.NotApplicable, null },
        { "logging", "s3:PutObject", "/logs/x", "account=111122223333", PolicyDecision.NotApplicable, null },
        { "logging", "s3:PutObject", "/elsewhere/x", "source=arn:aws:s3:::source-bucket;account=111122223333", PolicyDecision.NotApplicable, null },
        { "logging", "s3:GetObject", "/logs/x", "source=arn:aws:s3:::source-bucket;account=111122223333", PolicyDecision.NotApplicable, null },
        { "other-root", "s3:PutObject", "/logs/x", "source=arn:aws:s3:::source-bucket;account=111122223333", PolicyDecision.NotApplicable, null },
        { "anonymous", "s3:PutObject", "/logs/x", "source=arn:aws:s3:::source-bucket;account=111122223333", PolicyDecision.NotApplicable, null },
    };

    public static TheoryData<string, string, string, string, PolicyDecision, string?> PublicReadCases => new()
    {
        { "anonymous", "s3:GetObject", "/photo.jpg", "", PolicyDecision.Allow, "PublicRead" },
        { "other-user", "s3:GetObjectVersion", "/a/b/c", "", PolicyDecision.Allow, "PublicRead" },
        { "anonymous", "s3:PutObject", "/photo.jpg", "", PolicyDecision.NotApplicable, null },
        { "anonymous", "s3:ListBucket", "", "", PolicyDecision.NotApplicable, null },
        { "anonymous", "S3:getobject", "/photo.jpg", "", PolicyDecision.Allow, "PublicRead" },
    };

    public static TheoryData<string, string, string, string, PolicyDecision, string?> IpAllowListCases => new()
    {
        { "owner-root", "s3:GetObject", "/k", "ip=192.0.2.77", PolicyDecision.NotApplicable, null },
        { "owner-root", "s3:GetObject", "/k", "ip=198.51.100.1", PolicyDecision.Deny, "SourceIP" },
        { "anonymous", "s3:ListBucket", "", "ip=203.0.113.9", PolicyDecision.Deny, "SourceIP" },
        { "other-user", "s3:PutObject", "/k", "ip=2001:db8:1234:5678::1", PolicyDecision.NotApplicable, null },
        { "other-user", "s3:PutObject", "/k", "ip=2001:db8:1234:5679::1", PolicyDecision.Deny, "SourceIP" },
        { "owner-user", "s3:GetObject", "/k", "ip=::ffff:192.0.2.8", PolicyDecision.NotApplicable, null },
        // The key is absent (a caller with no address): a negated operator holds, so the Deny applies.
        { "owner-root", "s3:GetObject", "/k", "ip=", PolicyDecision.Deny, "SourceIP" },
    };

    public static TheoryData<string, string, string, string, PolicyDecision, string?> TlsOnlyCases => new()
    {
        { "owner-root", "s3:GetObject", "/k", "tls=false", PolicyDecision.Deny, "RestrictToTLSRequestsOnly" },
        { "owner-root", "s3:GetObject", "/k", "tls=true", PolicyDecision.NotApplicable, null },
        { "anonymous", "s3:ListBucket", "", "tls=false", PolicyDecision.Deny, "RestrictToTLSRequestsOnly" },
        { "logging", "s3:PutObject", "/k", "tls=FALSE", PolicyDecision.Deny, "RestrictToTLSRequestsOnly" },
    };

    public static TheoryData<string, string, string, string, PolicyDecision, string?> CrossAccountCases => new()
    {
        { "other-root", "s3:ListBucket", "", "", PolicyDecision.Allow, "CrossAccountList" },
        { "other-root", "s3:GetObject", "/k", "", PolicyDecision.Allow, "CrossAccountObjects" },
        { "other-root", "s3:DeleteObject", "/k", "", PolicyDecision.NotApplicable, null },
        { "other-root", "s3:GetObject", "", "", PolicyDecision.NotApplicable, null },
        { "other-user", "s3:PutObject", "/k", "", PolicyDecision.Allow, "CrossAccountObjects" },
        { "owner-root", "s3:GetObject", "/k", "", PolicyDecision.NotApplicable, null },
        { "anonymous", "s3:GetObject", "/k", "", PolicyDecision.NotApplicable, null },
    };

    [Theory]
    [MemberData(nameof(LogDeliveryCases))]
    public void Log_delivery_policy(string principal, string action, string resource, string keys, PolicyDecision expected, string? sid) =>
        Check(LogDeliveryPolicy, principal, action, resource, keys, expected, sid);

    [Theory]
    [MemberData(nameof(PublicReadCases))]
    public void Public_read_policy(string principal, string action, string resource, string keys, PolicyDecision expected, string? sid) =>
        Check(PublicReadPolicy, principal, action, resource, keys, expected, sid);

    [Theory]
    [MemberData(nameof(IpAllowListCases))]
    public void Ip_allow_list_policy(string principal, string action, string resource, string keys, PolicyDecision expected, string? sid) =>
        Check(IpAllowListPolicy, principal, action, resource, keys, expected, sid);

    [Theory]
    [MemberData(nameof(TlsOnlyCases))]
    public void Tls_only_policy(string principal, string action, string resource, string keys, PolicyDecision expected, string? sid) =>
        Check(TlsOnlyPolicy, principal, action, resource, keys, expected, sid);

    [Theory]
    [MemberData(nameof(CrossAccountCases))]
    public void Cross_account_policy(string principal, string action, string resource, string keys, PolicyDecision expected, string? sid) =>
        Check(CrossAccountPolicy, principal, action, resource, keys, expected, sid);

    [Fact]
    public void A_user_of_the_named_account_is_matched_through_its_account_only()
    {
        var policy = PolicyDocument.ParseBucketPolicy(CrossAccountPolicy, Bucket);

        var root = PolicyEvaluator.Evaluate(policy, Request(OtherRoot, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/k"));
        var user = PolicyEvaluator.Evaluate(policy, Request(OtherUser, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/k"));

        Assert.Equal(PrincipalMatch.Direct, root.Match);
        Assert.Equal(PrincipalMatch.Account, user.Match);
    }

    [Fact]
    public void Public_read_is_public_and_the_log_delivery_and_cross_account_policies_are_not()
    {
        Assert.True(PolicyDocument.ParseBucketPolicy(PublicReadPolicy, Bucket).IsPublic);
        Assert.False(PolicyDocument.ParseBucketPolicy(LogDeliveryPolicy, Bucket).IsPublic);
        Assert.False(PolicyDocument.ParseBucketPolicy(CrossAccountPolicy, Bucket).IsPublic);
        Assert.False(PolicyDocument.ParseBucketPolicy(TlsOnlyPolicy, Bucket).IsPublic);
    }

    private static void Check(string policyJson, string principal, string action, string resource, string keys, PolicyDecision expected, string? sid)
    {
        var policy = PolicyDocument.ParseBucketPolicy(policyJson, Bucket);
        var request = Request(ByName(principal), action, "arn:aws:s3:::" + Bucket + resource, context =>
        {
            foreach (var pair in keys.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
                var key = name switch
                {
                    "source" => "aws:SourceArn",
                    "account" => "aws:SourceAccount",
                    "ip" => "aws:SourceIp",
                    "tls" => "aws:SecureTransport",
                    _ => name,
                };
                context.Set(key, value.Length == 0 ? null : value);
            }
        });

        var result = PolicyEvaluator.Evaluate(policy, request);

        Assert.Equal(expected, result.Decision);
        Assert.Equal(sid, result.Statement?.Sid);
    }
}
