namespace Tally.Security.Policies;

/// <summary>Whether a document is a bucket (resource) policy or a user's identity policy.</summary>
public enum PolicyKind
{
    /// <summary>A bucket policy: every statement names a Principal; resources are in the bucket.</summary>
    Bucket,

    /// <summary>An identity policy attached to a user: no Principal; resources may be any ARN or "*".</summary>
    Identity,
}

/// <summary>
/// A parsed, validated IAM policy document (the language subset S3 uses). Parse with
/// <see cref="ParseBucketPolicy"/> or <see cref="ParseIdentityPolicy"/>, which throw
/// S3Exception(MalformedPolicy) with AWS's message on a bad document. Immutable and thread-safe:
/// parse once, evaluate many times with <see cref="PolicyEvaluator.Evaluate"/>.
/// </summary>
public sealed class PolicyDocument
{
    public const string Version2012 = "2012-10-17";
    public const string Version2008 = "2008-10-17";

    internal PolicyDocument(PolicyKind kind, string version, string? id, IReadOnlyList<PolicyStatement> statements, string json)
    {
        Kind = kind;
        Version = version;
        Id = id;
        Statements = statements;
        Json = json;
    }

    public PolicyKind Kind { get; }

    /// <summary>"2012-10-17" or "2008-10-17" (the default when absent, without policy variables).</summary>
    public string Version { get; }

    public string? Id { get; }

    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>The document as it was given (what GetBucketPolicy returns).</summary>
    public string Json { get; }

    /// <summary>Parses and validates a bucket policy for <paramref name="bucket"/>.</summary>
    /// <exception cref="Tally.Core.Errors.S3Exception">MalformedPolicy, with the reason as the message.</exception>
    public static PolicyDocument ParseBucketPolicy(string json, string bucket)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        return PolicyParser.Parse(json, PolicyKind.Bucket, bucket);
    }

    /// <summary>Parses and validates a user's identity policy.</summary>
    /// <exception cref="Tally.Core.Errors.S3Exception">MalformedPolicy, with the reason as the message.</exception>
    public static PolicyDocument ParseIdentityPolicy(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return PolicyParser.Parse(json, PolicyKind.Identity, null);
    }

    /// <summary>
    /// Whether the policy is "public" as S3 judges it (GetBucketPolicyStatus, BlockPublicPolicy,
    /// RestrictPublicBuckets): some Allow statement names everyone ("*", or NotPrincipal) without
    /// a condition that pins a fixed value of a key that confines the caller or its source.
    /// </summary>
    public bool IsPublic => Statements.Any(PolicyPublicity.IsPublic);

    /// <summary>Whether any condition reads a key starting with <paramref name="prefix"/> (e.g. s3:ExistingObjectTag/).</summary>
    public bool ReadsConditionKey(string prefix) =>
        Statements.Any(s => s.Conditions.Any(c => c.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)));
}
