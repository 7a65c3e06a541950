using Tally.AccessLogs.Configuration;
using Tally.Core.Errors;
using Tally.Core.Naming;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Admin;

/// <summary>
/// `tally logging enable`: the one-line setup done right — the target created if needed (same
/// owner, same region), delivery allowed, logging enabled through the same guard rails as
/// PutBucketLogging.
/// </summary>
public sealed class LoggingSetup(IObjectStore store, LoggingRegistry registry, LoggingGuardRails guardRails, TimeProvider time)
{
    public async Task<LoggingSetupResult> EnableAsync(LoggingSetupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = await store.GetBucketAsync(request.Source, ct)
            ?? throw S3Exception.With(S3Errors.NoSuchBucket, null, ("BucketName", request.Source));
        var target = await store.GetBucketAsync(request.Target, ct);
        var created = false;
        if (target is null)
        {
            BucketName.Validate(request.Target);
            target = new BucketInfo(request.Target, source.OwnerAccountId, source.OwnerCanonicalId, source.Region, time.GetUtcNow());
            await store.CreateBucketAsync(target, ct);
            created = true;
        }

        // AWS recommends a prefix ending in '/' (spec §3.1); one per source keeps shared targets tidy.
        var prefix = request.Prefix ?? source.Name + "/";
        var configuration = new LoggingConfiguration(
            target.Name,
            prefix,
            null,
            request.Partitioned ? new TargetObjectKeyFormat(true, PartitionDateSource.EventTime) : null);
        await registry.SetAsync(source, configuration, (candidate, token) => guardRails.ValidateAsync(source, candidate, token), ct);
        return new LoggingSetupResult(source.Name, target.Name, prefix, request.Partitioned, created, PolicyWritten: false);
    }
}

public sealed record LoggingSetupRequest(string Source, string Target, string? Prefix, bool Partitioned);

public sealed record LoggingSetupResult(string Source, string Target, string Prefix, bool Partitioned, bool TargetCreated, bool PolicyWritten);
