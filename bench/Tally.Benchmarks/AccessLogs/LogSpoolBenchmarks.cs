using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.AccessLogs.Records;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.Benchmarks.AccessLogs;

/// <summary>
/// Records per second through the whole spool (DESIGN §3): <see cref="LogSpool.Write"/> from one
/// producer, formatting and group-committed appends (fsync every 50 ms) on the writer task, then a
/// seal that makes everything durable. ns/op is per record. Run pinned to one core:
/// <c>taskset -c 0 dotnet run -c Release --project bench/Tally.Benchmarks -- --filter '*LogSpool*'</c>.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1515, CA1001 // BenchmarkDotNet requires public, unsealed classes; cleanup is in GlobalCleanup.
public class LogSpoolBenchmarks
#pragma warning restore CA1515, CA1001
{
    public const int Records = 100_000;

    private readonly AccessLogRecord[] _records = new AccessLogRecord[1024];
    private string _dir = null!;
    private DiskObjectStore _store = null!;
    private LoggingRegistry _registry = null!;
    private LogSpool _spool = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("tally-spool-bench").FullName;
        _store = DiskObjectStore.Open(Path.Combine(_dir, "data"), TimeProvider.System);
        _registry = new LoggingRegistry(_store, _store);
        var source = new BucketInfo("source", "123456789012", new string('a', 64), "us-east-1", DateTimeOffset.UnixEpoch);
        _store.CreateBucketAsync(source, CancellationToken.None).GetAwaiter().GetResult();
        _store.CreateBucketAsync(source with { Name = "logs" }, CancellationToken.None).GetAwaiter().GetResult();
        _registry.SetAsync(source, new LoggingConfiguration("logs", "source/"), (_, _) => Task.CompletedTask, CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < _records.Length; i++)
        {
            _records[i] = new AccessLogRecord
            {
                BucketOwner = source.OwnerCanonicalId,
                Bucket = "source",
                Time = DateTimeOffset.UnixEpoch.AddSeconds(i),
                RemoteIp = "192.0.2.10",
                Requester = "arn:aws:iam::123456789012:user/alice",
                RequestId = $"3E57427F{i:X8}",
                Operation = i % 2 == 0 ? "REST.GET.OBJECT" : "REST.PUT.OBJECT",
                Key = $"photos/2024/{i}/a=b.jpg",
                RequestUri = $"GET /source/photos/2024/{i}/a%3Db.jpg HTTP/1.1",
                HttpStatus = 200,
                BytesSent = 4096,
                ObjectSize = 4096,
                TotalTime = 3,
                TurnAroundTime = 1,
                Referer = AccessLogRecord.AbsentHeader,
                UserAgent = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 botocore/2.15.0",
                HostId = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=",
                SignatureVersion = "SigV4",
                AuthenticationType = "AuthHeader",
                HostHeader = "127.0.0.1:9000",
            };
        }
    }

    [IterationSetup]
    public void OpenSpool() => _spool = LogSpool.Open(
        new SpoolOptions { Directory = Path.Combine(_dir, "spool", (_round++).ToString(System.Globalization.CultureInfo.InvariantCulture)), QueueCapacity = Records * 2 },
        _registry,
        TimeProvider.System,
        NullLogger<LogSpool>.Instance);

    [IterationCleanup]
    public void CloseSpool() => _spool.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task<int> WriteAndCommit()
    {
        for (var i = 0; i < Records; i++)
        {
            _spool.Write(_records[i & 1023]);
        }

        var sealedSegments = await _spool.SealAsync(null, CancellationToken.None);
        return sealedSegments.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _registry.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
