using Tally.Core.Identity;

namespace Tally.Security.Credentials;

/// <summary>A user's identity with the secret that signs its requests (one access key per user).</summary>
/// <paramref name="IdentityPolicyJson"/> is the user's IAM-style identity policy as stored (evaluated elsewhere).
public sealed record UserCredential(S3Identity Identity, string SecretAccessKey, string? IdentityPolicyJson = null)
{
    public string AccessKeyId => Identity.AccessKeyId;

    // The secret must never reach a log line through a record's generated ToString.
    public override string ToString() => $"UserCredential {{ Arn = {Identity.Arn}, AccessKeyId = {AccessKeyId} }}";
}
