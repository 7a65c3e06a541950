using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Execution;
using Tally.Storage.Disk;
using Tally.Storage.Model;

// Lifecycle benchmark (bench/lifecycle/README.md): positional arguments only.
//   populate DIR N [CONCURRENCY]   N objects of 128 bytes in bucket "bench" (keys logs/DDDD/NNNNNNN), through PutObjectAsync
//   nothing-due DIR                a run whose whole-bucket rule has nothing due: every object is visited and evaluated
//   narrow DIR                     evaluate-all with a rule whose prefix covers 1% of the keys
//   repeat DIR                     a second RunIfDue on the same day (the run completed already)
//   evaluate-all DIR               every object old enough for the rule, none matching its tag: the evaluation rate
//   expire-all DIR                 a run that expires every object (destroys the data set)
const string Bucket = "bench";
const string Owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
var culture = CultureInfo.InvariantCulture;
var command = args.ElementAtOrDefault(0);
var dir = args.ElementAtOrDefault(1) ?? throw new ArgumentException("usage: populate|nothing-due|narrow|repeat|evaluate-all|expire-all DIR [N] [CONCURRENCY]");
var time = TimeProvider.System;
using var store = DiskObjectStore.Open(Path.Combine(dir, "data"), time);

switch (command)
{
    case "populate":
        {
            var count = int.Parse(args[2], culture);
            var concurrency = args.Length > 3 ? int.Parse(args[3], culture) : 64;
            if (await store.GetBucketAsync(Bucket, CancellationToken.None) is null)
            {
                await store.CreateBucketAsync(new BucketInfo(Bucket, "111122223333", Owner, "us-east-1", time.GetUtcNow()), CancellationToken.None);
            }

            var body = Encoding.ASCII.GetBytes(new string('x', 128));
            var write = new ObjectWrite(ObjectHeaders.Empty, Owner, new Dictionary<string, string>());
            var sw = Stopwatch.StartNew();
            var done = 0;
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
            {
                _ = await store.PutObjectAsync(Bucket, Key(i), new MemoryStream(body, writable: false), write, ct);
                if (Interlocked.Increment(ref done) % 100_000 == 0)
                {
                    Console.WriteLine(string.Create(culture, $"  {done} objects, {done / sw.Elapsed.TotalSeconds:F0}/s"));
                }
            });
            Console.WriteLine(string.Create(culture, $"populate objects={count} seconds={sw.Elapsed.TotalSeconds:F1} puts_per_s={count / sw.Elapsed.TotalSeconds:F0}"));
            return 0;
        }

    case "nothing-due":
        return await RunAsync("<Filter/>", "<Expiration><Days>36500</Days></Expiration>", repeat: false);

    case "narrow":
        // Keys are logs/DDDD/…, DDDD = i % 100: one prefix of the hundred holds 1% of the objects.
        return await RunAsync(
            "<Filter><And><Prefix>logs/0042/</Prefix><Tag><Key>never</Key><Value>set</Value></Tag></And></Filter>",
            "<Expiration><Days>1</Days></Expiration>",
            repeat: false,
            asOf: DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(3));

    case "repeat":
        return await RunAsync("<Filter/>", "<Expiration><Days>36500</Days></Expiration>", repeat: true);

    case "evaluate-all":
        return await RunAsync("<Filter><Tag><Key>never</Key><Value>set</Value></Tag></Filter>", "<Expiration><Days>1</Days></Expiration>", repeat: false, asOf: DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(3));

    case "expire-all":
        return await RunAsync("<Filter/>", "<Expiration><Days>1</Days></Expiration>", repeat: false, asOf: DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(3));

    default:
        Console.Error.WriteLine("usage: populate|nothing-due|narrow|repeat|evaluate-all|expire-all DIR [N] [CONCURRENCY]");
        return 2;
}

async Task<int> RunAsync(string filter, string actions, bool repeat, DateOnly? asOf = null)
{
    var rules = LifecycleConfigurationXml.Parse(
        Encoding.UTF8.GetBytes($"<LifecycleConfiguration><Rule><ID>bench</ID>{filter}<Status>Enabled</Status>{actions}</Rule></LifecycleConfiguration>"),
        null);
    await new LifecycleSettings(store).PutAsync(Bucket, rules, CancellationToken.None);
    var progress = Path.Combine(dir, "progress.json");
    File.Delete(progress);
    using var runner = new LifecycleRunner(store, store, store, new LifecycleProgressFile(progress), new LifecycleRecords(null, time), time);
    if (repeat)
    {
        _ = await runner.RunIfDueAsync(CancellationToken.None);
    }

    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes();
    var sw = Stopwatch.StartNew();
    var report = asOf is { } date ? await runner.RunAsync(date, CancellationToken.None) : await runner.RunIfDueAsync(CancellationToken.None);
    var seconds = sw.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    var c = report.Counters;
    Console.WriteLine(string.Create(
        culture,
        $"{command} ran={report.Ran} visited={c.VersionsVisited} expired={c.Expired} seconds={seconds:F3} cpu_seconds={cpuSeconds:F2} visited_per_s={(c.VersionsVisited == 0 ? 0 : c.VersionsVisited / seconds):F0} allocated_mb={(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:F1} peak_rss_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
    return 0;
}

static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"logs/{i % 100:D4}/{i:D7}");
