namespace Tally.Security.Policies;

/// <summary>
/// One question for a policy: may <paramref name="Principal"/> do <paramref name="Action"/>
/// (e.g. s3:GetObject) on <paramref name="Resource"/> (arn:aws:s3:::bucket or
/// arn:aws:s3:::bucket/key), given the request's condition keys?
/// </summary>
public sealed record PolicyRequest(RequestPrincipal Principal, string Action, string Resource, PolicyContext Context)
{
    /// <summary>arn:aws:s3:::bucket</summary>
    public static string BucketArn(string bucket) => "arn:aws:s3:::" + bucket;

    /// <summary>arn:aws:s3:::bucket/key</summary>
    public static string ObjectArn(string bucket, string key) => "arn:aws:s3:::" + bucket + "/" + key;
}
