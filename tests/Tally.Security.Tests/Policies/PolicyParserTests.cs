using Tally.Core.Errors;
using Tally.Security.Policies;

namespace Tally.Security.Tests.Policies;

public sealed class PolicyParserTests
{
    private static readonly string Bucket = Principals.Bucket;

    public static TheoryData<string, string> MalformedBucketPolicies => new()
    {
        { "", "Policies must be valid JSON and the first byte must be '{'" },
        { "[{}]", "Policies must be valid JSON and the first byte must be '{'" },
        { "{\"Statement\": [", "This policy contains invalid Json" },
        { "{\"Statement\": [], \"Statement\": []}", "This policy contains invalid Json" },
        { "{\"Version\": \"2012-10-17\"}", "Missing required field Statement" },
        { "{\"Version\": \"2012-10-17\", \"Statement\": []}", "Could not parse the policy: Statement is empty!" },
        { "{\"Version\": \"2020-01-01\", \"Statement\": {}}", "The policy must contain a valid version string" },
        { "{\"Color\": \"blue\", \"Statement\": {}}", "Unknown field Color" },
        { Statement("\"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Missing required field Effect" },
        { Statement("\"Effect\": \"Permit\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Invalid effect: Permit" },
        { Statement("\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Missing required field Principal" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"someone\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Invalid principal in policy" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"12345\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Invalid principal in policy" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"cognito-identity.amazonaws.com\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Invalid principal in policy" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Missing required field Action" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Policy has invalid action" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"iam:CreateUser\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Policy has invalid action" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\""), "Missing required field Resource" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::another-bucket/*\""), "Policy has invalid resource" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\""), "Policy has invalid resource" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket\""), "Action does not apply to any resource(s) in statement" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\""), "Action does not apply to any resource(s) in statement" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\", \"Condition\": {\"StringEqualz\": {\"aws:SourceAccount\": \"1\"}}"), "Invalid Condition type : StringEqualz" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"not-an-ip\"}}"), "Invalid Condition value for IpAddress : aws:SourceIp" },
        { Statement("\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\", \"Condition\": {\"StringEquals\": {\"nokey\": \"1\"}}"), "Policy has an invalid condition key" },
        { "{\"Statement\": [" + Inner("A") + "," + Inner("A") + "]}", "Statement IDs (SID) in a single policy must be unique." },
    };

    [Theory]
    [MemberData(nameof(MalformedBucketPolicies))]
    public void Rejects_malformed_bucket_policies_with_AWS_messages(string json, string message)
    {
        var error = Assert.Throws<S3Exception>(() => PolicyDocument.ParseBucketPolicy(json, Bucket));

        Assert.Equal("MalformedPolicy", error.Error.Code);
        Assert.Equal(400, error.Error.HttpStatus);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_single_statement_object_and_single_strings_are_accepted()
    {
        var policy = PolicyDocument.ParseBucketPolicy(
            Statement("\"Sid\": \"One\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\", \"CanonicalUser\": \"" + new string('c', 64) + "\"}, \"Action\": \"s3:Get*\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket*\""),
            Bucket);

        var statement = Assert.Single(policy.Statements);
        Assert.Equal("One", statement.Sid);
        Assert.Equal(PolicyDocument.Version2012, policy.Version);
        Assert.Contains("111122223333", (IReadOnlySet<string>)statement.Principal!.Accounts);
    }

    [Fact]
    public void A_missing_version_means_2008_without_policy_variables()
    {
        var json = """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*"}]}""";
        var policy = PolicyDocument.ParseBucketPolicy(json, Bucket);
        var literal = Principals.Request(Principals.OwnerUser, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/x");
        var substituted = Principals.Request(Principals.OwnerUser, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/alice/x");

        Assert.Equal(PolicyDocument.Version2008, policy.Version);
        Assert.True(PolicyEvaluator.Evaluate(policy, literal).IsAllow);
        Assert.False(PolicyEvaluator.Evaluate(policy, substituted).IsAllow);
    }

    [Fact]
    public void Identity_policies_refuse_a_principal_and_accept_other_services_and_star_resources()
    {
        var error = Assert.Throws<S3Exception>(() => PolicyDocument.ParseIdentityPolicy(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"""));
        Assert.Equal("Has prohibited field Principal", error.Message);

        var policy = PolicyDocument.ParseIdentityPolicy(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","iam:GetUser"],"Resource":"*"}}""");
        Assert.Null(Assert.Single(policy.Statements).Principal);
    }

    [Fact]
    public void A_policy_over_20_KB_is_refused()
    {
        var statements = string.Join(",", Enumerable.Range(0, 200).Select(i => Inner("S" + i)));
        var error = Assert.Throws<S3Exception>(() => PolicyDocument.ParseBucketPolicy("{\"Statement\": [" + statements + "]}", Bucket));
        Assert.Equal("MalformedPolicy", error.Error.Code);
    }

    [Fact]
    public void A_policy_that_denies_the_owner_everything_is_still_accepted()
    {
        var json = """
            {"Version":"2012-10-17","Statement":[{"Sid":"LockOut","Effect":"Deny","Principal":"*","Action":"s3:*",
              "Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]}]}
            """;

        var policy = PolicyDocument.ParseBucketPolicy(json, Bucket);

        Assert.True(PolicyEvaluator.Evaluate(policy, Principals.Request(Principals.OwnerRoot, "s3:PutBucketPolicy", "arn:aws:s3:::amzn-s3-demo-bucket")).IsDeny);
    }

    private static string Inner(string sid) =>
        "{\"Sid\": \"" + sid + "\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/" + sid + "/*\"}";

    private static string Statement(string body) => "{\"Version\": \"2012-10-17\", \"Statement\": {" + body + "}}";
}
