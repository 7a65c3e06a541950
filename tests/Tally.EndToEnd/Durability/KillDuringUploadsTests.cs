using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Tally.EndToEnd.Hosting;
using Xunit.Abstractions;

namespace Tally.EndToEnd.Durability;

/// <summary>
/// The foundation's durability promise (issue 3): a PUT is acknowledged only when data and metadata
/// are durable, and no object is ever visible half-written — checked across a real SIGKILL.
/// </summary>
public sealed class KillDuringUploadsTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int Workers = 32;
    private static readonly int WritesPerWorker = 40;
    private static readonly int SharedKeys = 8;
    private static readonly string Bucket = "durability";

    private readonly TempDirectory _data = new("durability");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Every_acknowledged_put_survives_a_SIGKILL_during_concurrent_uploads_and_no_object_is_partial()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var plan = WritePlan.For(Workers, WritesPerWorker, SharedKeys);
        var total = Workers * WritesPerWorker;
        var acknowledged = new ConcurrentBag<PlannedWrite>();
        var failuresBeforeKill = new ConcurrentBag<string>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = 0;

        await using (var server = await TallyProcess.StartAsync(_data.Path, FreePort.Next(), deadline.Token))
        {
            using var s3 = Client(server);
            await s3.PutBucketAsync(Bucket, deadline.Token);

            async Task WorkAsync(IReadOnlyList<PlannedWrite> writes)
            {
                foreach (var write in writes)
                {
                    if (Volatile.Read(ref killed) == 1)
                    {
                        return;
                    }

                    try
                    {
                        using var body = new MemoryStream(write.Content());
                        var response = await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = write.Key, InputStream = body }, deadline.Token);
                        if (response.HttpStatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.Add(write);
                            if (acknowledged.Count >= total / 2)
                            {
                                halfway.TrySetResult();
                            }
                        }
                    }
                    catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException or OperationCanceledException)
                    {
                        if (Volatile.Read(ref killed) == 0)
                        {
                            failuresBeforeKill.Add($"{write.Key}: {e.GetType().Name}: {e.Message}");
                        }

                        return;
                    }
                }
            }

            var workers = plan.Select(writes => Task.Run(() => WorkAsync(writes), deadline.Token)).ToArray();
            var all = Task.WhenAll(workers);
            await Task.WhenAny(halfway.Task, all);
            Volatile.Write(ref killed, 1);
            await server.KillAsync();
            await all.WaitAsync(deadline.Token);

            output.WriteLine($"killed after {acknowledged.Count} of {total} PUTs were acknowledged");
            Assert.True(failuresBeforeKill.IsEmpty, $"PUTs failed before the kill:\n{string.Join('\n', failuresBeforeKill.Take(20))}\nServer output:\n{server.Output}");
            Assert.True(halfway.Task.IsCompleted, $"only {acknowledged.Count} of {total} PUTs were acknowledged before the workers stopped");
        }

        await using var restarted = await TallyProcess.StartAsync(_data.Path, FreePort.Next(), deadline.Token);
        using var after = Client(restarted);
        var candidates = plan.SelectMany(w => w).ToLookup(w => w.Key, StringComparer.Ordinal);
        var listed = await ListAllAsync(after, deadline.Token);

        // Nothing half-written: every visible object is exactly one of the writes made to its key.
        var broken = new List<string>();
        foreach (var item in listed)
        {
            var bytes = await ReadAsync(after, item.Key, deadline.Token);
            if (bytes.Length != item.Size)
            {
                broken.Add($"{item.Key}: listed as {item.Size} bytes, read {bytes.Length}");
            }
            else if (!candidates[item.Key].Any(w => w.Content().AsSpan().SequenceEqual(bytes)))
            {
                broken.Add(Describe(item.Key, bytes, candidates[item.Key]));
            }
        }

        Assert.True(broken.Count == 0, $"{broken.Count} of {listed.Count} visible objects are not one whole write:\n{string.Join('\n', broken.Take(5))}");

        // Nothing acknowledged is lost.
        var listedKeys = listed.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var lost = acknowledged.Select(w => w.Key).Distinct().Where(key => !listedKeys.Contains(key)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged objects are missing after the restart: {string.Join(", ", lost.Take(20))}");
        foreach (var write in acknowledged.Where(w => !w.Key.StartsWith("shared/", StringComparison.Ordinal)))
        {
            var bytes = await ReadAsync(after, write.Key, deadline.Token);
            Assert.True(write.Content().AsSpan().SequenceEqual(bytes), $"{write.Key}: acknowledged content differs after the restart");
        }

        // The restarted server takes new writes on the same data dir.
        await after.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "after-restart", ContentBody = "alive" }, deadline.Token);
        output.WriteLine($"{listed.Count} objects visible after the restart, all whole; {acknowledged.Count} acknowledged, none lost");
    }

    private static string Describe(string key, byte[] bytes, IEnumerable<PlannedWrite> writes)
    {
        var closest = writes
            .Select(w => (Write: w, Content: w.Content()))
            .Select(c => (c.Write, c.Content.Length, Prefix: c.Content.AsSpan().CommonPrefixLength(bytes)))
            .OrderByDescending(c => c.Prefix)
            .Take(3)
            .Select(c => $"writer {c.Write.Writer} ({c.Length} bytes) shares the first {c.Prefix} bytes");
        // The likeliest way to store wrong bytes under an SDK that streams aws-chunked bodies by default.
        var framed = System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 32)).Contains(";chunk-signature=", StringComparison.Ordinal)
            ? " (the stored bytes are the raw aws-chunked encoding, chunk signatures and trailers included)"
            : string.Empty;
        return $"{key} ({bytes.Length} bytes) matches none of the writes to it{framed}; closest: {string.Join("; ", closest)}";
    }

    private static AmazonS3Client Client(TallyProcess server) =>
        new(new BasicAWSCredentials(RootKeys.AccessKeyId, RootKeys.SecretAccessKey), new AmazonS3Config
        {
            ServiceURL = server.EndpointUrl,
            ForcePathStyle = true,
            AuthenticationRegion = RootKeys.Region,
            // One attempt per PUT: an acknowledgement is exactly one 200 from the server.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = Workers * 2,
        });

    private static async Task<List<S3Object>> ListAllAsync(AmazonS3Client s3, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        string? token = null;
        for (var page = 0; page < 100; page++)
        {
            var response = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, ContinuationToken = token }, cancellationToken);
            objects.AddRange(response.S3Objects ?? []);
            if (response.IsTruncated != true)
            {
                return objects;
            }

            token = response.NextContinuationToken;
        }

        throw new InvalidOperationException("listing did not end within 100 pages");
    }

    private static async Task<byte[]> ReadAsync(AmazonS3Client s3, string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}
