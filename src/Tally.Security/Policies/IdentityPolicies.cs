namespace Tally.Security.Policies;

/// <summary>
/// The identity policies `tally users create --policy readonly|readwrite` stands for. A user
/// created without --policy has no identity policy and may do only what bucket policies and ACLs
/// grant it by name (AWS's rule for an IAM user without permissions).
/// </summary>
public static class IdentityPolicies
{
    public const string ReadOnlyName = "readonly";
    public const string ReadWriteName = "readwrite";

    /// <summary>List and read everything the account can reach: s3:Get*, s3:List*.</summary>
    public const string ReadOnly = """
        {
          "Version": "2012-10-17",
          "Statement": [{ "Sid": "TallyReadOnly", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*" }]
        }
        """;

    /// <summary>Everything in S3 (as MinIO's readwrite): s3:*.</summary>
    public const string ReadWrite = """
        {
          "Version": "2012-10-17",
          "Statement": [{ "Sid": "TallyReadWrite", "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]
        }
        """;

    /// <summary>
    /// The policy JSON for a --policy argument: one of the names above, or a file to read (through
    /// <paramref name="readFile"/>). The result is validated; a bad document throws
    /// S3Exception(MalformedPolicy) with the reason.
    /// </summary>
    public static string Resolve(string argument, Func<string, string> readFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(argument);
        ArgumentNullException.ThrowIfNull(readFile);
        var json = argument switch
        {
            ReadOnlyName => ReadOnly,
            ReadWriteName => ReadWrite,
            _ => readFile(argument),
        };
        _ = PolicyDocument.ParseIdentityPolicy(json);
        return json;
    }
}
