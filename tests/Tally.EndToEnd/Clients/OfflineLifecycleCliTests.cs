using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.AccessLogs.Records;
using Tally.EndToEnd.Hosting;

namespace Tally.EndToEnd.Clients;

/// <summary>
/// `tally lifecycle run` with no server running works on the data directory itself; its S3.*
/// records wait in the spool and are delivered when the server is started again.
/// </summary>
public sealed class OfflineLifecycleCliTests : IDisposable
{
    private readonly TempDirectory _data = new("offline-lifecycle");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Lifecycle_run_on_a_stopped_servers_data_acts_and_its_records_are_delivered_at_the_next_start()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = deadline.Token;
        await using (var server = await TallyProcess.StartAsync(_data.Path, FreePort.Next(), ct))
        {
            using var s3 = server.S3Client();
            await s3.PutBucketAsync("src", ct);
            await s3.PutBucketAsync("logs", ct);
            await s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
            {
                BucketName = "src",
                LoggingConfig = new S3BucketLoggingConfig { TargetBucketName = "logs", TargetPrefix = "src/" },
            }, ct);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "tmp/a.txt", ContentBody = "12345" }, ct);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = "keep.txt", ContentBody = "v" }, ct);
            await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = "src",
                Configuration = new LifecycleConfiguration
                {
                    Rules = [new LifecycleRule { Id = "tmp", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "tmp/" } }, Expiration = new LifecycleRuleExpiration { Days = 3 } }],
                },
            }, ct);
            await server.KillAsync();
        }

        using var session = new ClientSession("http://127.0.0.1:1");
        var asOf = DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var run = (await session.TallyAsync("lifecycle", "run", "--as-of", asOf, "--data", _data.Path)).ShouldSucceed();
        Assert.Matches(@"expired\s+1\b", run.StandardOutput);

        await using var restarted = await TallyProcess.StartAsync(_data.Path, FreePort.Next(), ct);
        using var client = restarted.S3Client();
        Assert.Equal(["keep.txt"], (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "src" }, ct)).S3Objects.Select(o => o.Key));
        using var admin = await restarted.AdminClientAsync(ct);
        using (var flush = await admin.PostAsync("_tally/logs/flush", null, ct))
        {
            Assert.True(flush.IsSuccessStatusCode, await flush.Content.ReadAsStringAsync(ct));
        }

        var lines = new List<string>();
        foreach (var logObject in (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "logs", Prefix = "src/" }, ct)).S3Objects ?? [])
        {
            using var get = await client.GetObjectAsync("logs", logObject.Key, ct);
            using var reader = new StreamReader(get.ResponseStream);
            lines.AddRange((await reader.ReadToEndAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        var expired = Assert.Single(lines.Select(AccessLogParser.Parse), r => r.Operation == "S3.EXPIRE.OBJECT");
        Assert.Equal(("AmazonS3", "tmp/a.txt", 5L), (expired.Requester, expired.Key, expired.ObjectSize));
    }
}
