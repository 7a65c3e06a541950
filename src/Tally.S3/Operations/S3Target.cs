namespace Tally.S3.Operations;

/// <summary>What a request addresses: the service (no bucket), a bucket, or an object in a bucket.</summary>
public enum S3Target
{
    Service,
    Bucket,
    Object,
}
