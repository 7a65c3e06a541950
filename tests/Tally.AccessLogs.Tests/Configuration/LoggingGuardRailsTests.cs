using Microsoft.Extensions.Time.Testing;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.Core.Errors;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.AccessLogs.Tests.Configuration;

/// <summary>The guard rails' error details that SDK exceptions do not expose (spec §4.4), on a real store.</summary>
public sealed class LoggingGuardRailsTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tally-guard").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private DiskObjectStore _store = null!;
    private LoggingRegistry _registry = null!;
    private LoggingGuardRails _rails = null!;

    public async Task InitializeAsync()
    {
        _store = DiskObjectStore.Open(_dir, _time);
        _registry = new LoggingRegistry(_store, _store);
        _rails = new LoggingGuardRails(_store, _registry, new SameOwnerDeliveryAuthorizer());
        await _store.CreateBucketAsync(Bucket("src", "us-east-1"), CancellationToken.None);
        await _store.CreateBucketAsync(Bucket("eu-src", "eu-west-1"), CancellationToken.None);
        await _store.CreateBucketAsync(Bucket("logs", "us-east-1"), CancellationToken.None);
    }

    public void Dispose() => _registry.Dispose();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Cross_region_names_the_target_location_and_the_source_location_outside_us_east_1()
    {
        var fromUs = await Assert.ThrowsAsync<S3Exception>(() => _rails.ValidateAsync(Bucket("src", "us-east-1"), new LoggingConfiguration("eu-src", "p/"), CancellationToken.None));
        Assert.Equal("CrossLocationLoggingProhibitted", fromUs.Error.Code);
        Assert.Equal(403, fromUs.Error.HttpStatus);
        Assert.Equal("Cross S3 location logging not allowed. ", fromUs.Message);
        Assert.Equal("eu-west-1", fromUs.Details["TargetBucketLocation"]);
        Assert.False(fromUs.Details.ContainsKey("SourceBucketLocation"));

        var fromEu = await Assert.ThrowsAsync<S3Exception>(() => _rails.ValidateAsync(Bucket("eu-src", "eu-west-1"), new LoggingConfiguration("logs", "p/"), CancellationToken.None));
        Assert.Equal("us-east-1", fromEu.Details["TargetBucketLocation"]);
        Assert.Equal("eu-west-1", fromEu.Details["SourceBucketLocation"]);
    }

    [Fact]
    public async Task Target_errors_name_the_target_bucket()
    {
        var missing = await Assert.ThrowsAsync<S3Exception>(() => _rails.ValidateAsync(Bucket("src", "us-east-1"), new LoggingConfiguration("absent", "p/"), CancellationToken.None));
        Assert.Equal("absent", missing.Details["TargetBucket"]);
        var prefix = await Assert.ThrowsAsync<S3Exception>(() => _rails.ValidateAsync(Bucket("src", "us-east-1"), new LoggingConfiguration("logs", new string('é', 401)), CancellationToken.None));
        Assert.Equal("TargetPrefix", prefix.Details["ArgumentName"]);
        var name = await Assert.ThrowsAsync<S3Exception>(() => _rails.ValidateAsync(Bucket("src", "us-east-1"), new LoggingConfiguration("ab", "p/"), CancellationToken.None));
        Assert.Equal("InvalidBucketName", name.Error.Code);
    }

    [Fact]
    public async Task A_long_chain_without_a_cycle_is_accepted()
    {
        await _store.CreateBucketAsync(Bucket("c", "us-east-1"), CancellationToken.None);
        await _registry.SetAsync(Bucket("logs", "us-east-1"), new LoggingConfiguration("c", "x/"), (_, _) => Task.CompletedTask, CancellationToken.None);
        await _rails.ValidateAsync(Bucket("src", "us-east-1"), new LoggingConfiguration("logs", "p/"), CancellationToken.None);
    }

    private BucketInfo Bucket(string name, string region) => new(name, "123456789012", new string('c', 64), region, _time.GetUtcNow());
}
