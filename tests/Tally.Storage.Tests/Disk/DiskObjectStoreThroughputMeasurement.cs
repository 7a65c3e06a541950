using System.Diagnostics;
using Xunit.Abstractions;

namespace Tally.Storage.Tests.Disk;

/// <summary>
/// Prints how fast small PUTs and GETs go on this machine (for the report, not a gate: timings
/// are never asserted). What it asserts is that every acknowledged PUT is readable afterwards.
/// </summary>
public sealed class DiskObjectStoreThroughputMeasurement(ITestOutputHelper output) : IDisposable
{
    internal const int Objects = 2000;
    internal const int Concurrency = 32;

    private readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    [Trait("Category", "Measurement")]
    public async Task Many_concurrent_4_KiB_puts_are_all_durable_and_readable()
    {
        await _f.CreateBucketAsync();
        var body = new byte[4096];
        Random.Shared.NextBytes(body);

        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(worker => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Objects)
            {
                _ = await _f.Objects.PutObjectAsync("bucket", "obj/" + i, StoreFixture.Body(body), StoreFixture.Write(), CancellationToken.None);
            }
        })));
        var putSeconds = watch.Elapsed.TotalSeconds;

        next = -1;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(worker => Task.Run(async () =>
        {
            int i;
            var buffer = new byte[8192];
            while ((i = Interlocked.Increment(ref next)) < Objects)
            {
                await using var read = await _f.Objects.GetObjectAsync("bucket", "obj/" + i, CancellationToken.None);
                var total = 0;
                int n;
                while ((n = await read.Content.ReadAsync(buffer)) > 0)
                {
                    total += n;
                }

                Assert.Equal(body.Length, total);
            }
        })));
        var getSeconds = watch.Elapsed.TotalSeconds;

        output.WriteLine($"{Objects} PUTs of 4 KiB, concurrency {Concurrency}: {putSeconds:F2} s = {Objects / putSeconds:F0}/s");
        output.WriteLine($"{Objects} GETs of 4 KiB, concurrency {Concurrency}: {getSeconds:F2} s = {Objects / getSeconds:F0}/s");
        Assert.Equal(Objects, _f.DataFiles().Length);
        Assert.Empty(_f.TmpFiles());
    }
}
