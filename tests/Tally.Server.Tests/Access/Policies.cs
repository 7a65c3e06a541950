namespace Tally.Server.Tests.Access;

/// <summary>Bucket policy documents the access tests put.</summary>
internal static class Policies
{
    public static string AllowAccount(string bucket, string account, params string[] actions) => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"AllowAlternate","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},
         "Action":[{{string.Join(",", actions.Select(a => "\"" + a + "\""))}}],
         "Resource":["arn:aws:s3:::{{bucket}}","arn:aws:s3:::{{bucket}}/*"]}]}
        """;

    public static string AllowThenDeny(string bucket, string account, string deniedAction) => $$"""
        {"Version":"2012-10-17","Statement":[
         {"Sid":"AllowAlternate","Effect":"Allow","Principal":{"AWS":"{{account}}"},"Action":"s3:*","Resource":["arn:aws:s3:::{{bucket}}","arn:aws:s3:::{{bucket}}/*"]},
         {"Sid":"DenyAlternateReads","Effect":"Deny","Principal":{"AWS":"{{account}}"},"Action":"{{deniedAction}}","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
        """;

    public static string PublicRead(string bucket) => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
        """;

    public static string AllowUser(string bucket, string userArn, string action) => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"AllowUser","Effect":"Allow","Principal":{"AWS":"{{userArn}}"},"Action":"{{action}}","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
        """;

    public static string DenyEverything(string bucket) => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"LockOut","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{{bucket}}","arn:aws:s3:::{{bucket}}/*"]}]}
        """;
}
