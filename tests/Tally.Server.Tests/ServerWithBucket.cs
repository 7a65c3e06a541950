namespace Tally.Server.Tests;

/// <summary>
/// Base of a test class whose every test starts with one empty bucket, <see cref="Bucket"/>, owned by
/// the root account, on a server of its own (see <see cref="ServerWithClient"/>).
/// </summary>
public abstract class ServerWithBucket(string bucket) : ServerWithClient
{
    protected string Bucket { get; } = bucket;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await S3.PutBucketAsync(Bucket);
    }
}
