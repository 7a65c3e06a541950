namespace Tally.Core.Identity;

/// <summary>
/// An authenticated caller. Root users are their account (requester = canonical user id in the
/// access log); IAM-style users appear as arn:aws:iam::ACCOUNT:user/NAME.
/// </summary>
public sealed record S3Identity(
    string AccountId,
    string CanonicalUserId,
    string UserName,
    string AccessKeyId,
    bool IsRoot)
{
    public string Arn => IsRoot ? $"arn:aws:iam::{AccountId}:root" : $"arn:aws:iam::{AccountId}:user/{UserName}";

    /// <summary>The Requester field of an access-log record (spec §8).</summary>
    public string Requester => IsRoot ? CanonicalUserId : Arn;
}
