using Microsoft.Extensions.Logging;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Records;
using Tally.Core.Errors;
using Tally.Core.Requests;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// Puts sealed spool segments into their target buckets (DESIGN §3): under the key fixed at
/// sealing, owned by the target bucket's owner (spec §5.3), after asking the target's access model
/// whether log delivery may write there. Where the target has ACLs enabled, a log object gets the
/// ACL of <see cref="LogObjectAcl"/> (the owner's FULL_CONTROL plus the TargetGrants), stored as
/// the document the access model's <c>aclDocument</c> writes; without one (an access model without
/// ACLs) log objects keep their owner's private default. A refused or failed delivery keeps the segment,
/// records why, and is retried with backoff; a delivered segment is then removed.
/// </summary>
public sealed partial class LogDeliveryWorker(
    LogSpool spool,
    LoggingRegistry registry,
    IObjectStore store,
    ILogDeliveryAuthorizer authorizer,
    TimeProvider time,
    ILogger<LogDeliveryWorker> logger,
    Func<LogObjectAcl, string>? aclDocument = null) : IDisposable
{
    /// <summary>The requester written for deliveries in the target's own log (spec §10: unverified, a svc: principal is suspected) [I].</summary>
    public const string DeliveryRequester = "svc:logging.s3.amazonaws.com";

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(10);
    private static readonly ObjectHeaders LogObjectHeaders = ObjectHeaders.Empty with { ContentType = "text/plain" };

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Seals what is pending for <paramref name="bucket"/> (every bucket when null) and delivers it
    /// now, ignoring backoff: the flush of `tally logs flush` and <c>POST /bucket?logging</c>.
    /// </summary>
    public async Task<DeliveryReport> FlushAsync(string? bucket, CancellationToken ct)
    {
        var sealedSegments = await spool.SealAsync(bucket, ct);
        var report = await DeliverAsync(bucket, ignoreBackoff: true, ct);

        // The background loop may have delivered some of them first; they count as flushed too.
        var reported = report.Delivered.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var byOthers = sealedSegments
            .Where(s => !reported.Contains(s.Key) && !spool.IsPending(s))
            .Select(s => new DeliveredLogObject(s.SourceBucket, s.Metadata.TargetBucket, s.Key, s.Records));
        return report with { Delivered = [.. byOthers, .. report.Delivered] };
    }

    /// <summary>Delivers the sealed segments of <paramref name="bucket"/> (all when null) whose source is not backing off.</summary>
    public async Task<DeliveryReport> DeliverAsync(string? bucket, bool ignoreBackoff, CancellationToken ct)
    {
        var delivered = new List<DeliveredLogObject>();
        var errors = new List<string>();
        await _gate.WaitAsync(ct);
        try
        {
            var blocked = new HashSet<string>(StringComparer.Ordinal);
            foreach (var segment in spool.Sealed(bucket))
            {
                if (blocked.Contains(segment.SourceBucket) || (!ignoreBackoff && !spool.IsDue(segment.SourceBucket)))
                {
                    continue;
                }

                var error = await DeliverOneAsync(segment, ct);
                if (error is null)
                {
                    delivered.Add(new DeliveredLogObject(segment.SourceBucket, segment.Metadata.TargetBucket, segment.Key, segment.Records));
                }
                else
                {
                    // Later segments of this source would meet the same refusal; try them next time.
                    blocked.Add(segment.SourceBucket);
                    errors.Add($"{segment.SourceBucket}: {error}");
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return new DeliveryReport(delivered, errors);
    }

    /// <summary>The background loop: deliver whenever a segment is sealed, retry failures when due, refresh configurations.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var lastReload = time.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            using (var idle = new CancellationTokenSource(IdlePoll, time))
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token))
            {
                try
                {
                    await spool.WaitForSealedAsync(poll.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // The poll interval passed: look for retries that became due.
                }
            }

            if (ct.IsCancellationRequested)
            {
                break;
            }

            try
            {
                if (time.GetElapsedTime(lastReload) >= ReloadInterval)
                {
                    lastReload = time.GetTimestamp();
                    await registry.ReloadAsync(ct);
                }

                await DeliverAsync(null, ignoreBackoff: false, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The delivery loop must outlive any one failure; the error is logged and retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogLoopError(logger, e);
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Null when delivered; otherwise why not (also recorded in the status).</summary>
    private async Task<string?> DeliverOneAsync(SealedSegment segment, CancellationToken ct)
    {
        var metadata = segment.Metadata;
        string? error;
        try
        {
            var target = await store.GetBucketAsync(metadata.TargetBucket, ct);
            if (target is null)
            {
                error = $"target bucket {metadata.TargetBucket} does not exist";
            }
            else
            {
                var source = await store.GetBucketAsync(metadata.SourceBucket, ct) ?? metadata.Source;
                var decision = await authorizer.AuthorizeAsync(source, target, segment.Key, ct);
                if (!decision.Allowed)
                {
                    error = decision.Reason ?? $"denied by {decision.DeniedBy}";
                }
                else
                {
                    var bytes = await File.ReadAllBytesAsync(segment.DataPath, ct);
                    using var body = new MemoryStream(bytes, writable: false);
                    var write = new ObjectWrite(LogObjectHeaders, target.OwnerCanonicalId, new Dictionary<string, string>(), Acl: await AclAsync(target, metadata, ct));
                    await store.PutObjectAsync(target.Name, segment.Key, body, write, ct);
                    var deliveredAt = time.GetUtcNow();
                    spool.Release(segment, deliveredAt);
                    LogDelivered(logger, segment.Records, metadata.SourceBucket, target.Name, segment.Key);
                    RecordDeliveryInTargetLog(target, segment.Key, bytes.Length, deliveredAt);
                    return null;
                }
            }
        }
        catch (S3Exception e)
        {
            error = $"{e.Error.Code}: {e.Message}";
        }
        catch (IOException e)
        {
            error = e.Message;
        }

        spool.Failed(metadata.SourceBucket, error);
        LogFailed(logger, metadata.SourceBucket, metadata.TargetBucket, error);
        return error;
    }

    /// <summary>
    /// The stored ACL of a log object delivered to <paramref name="target"/>: null (the owner's
    /// private default) without TargetGrants, or when the target has ACLs disabled now — its
    /// Object Ownership may have become BucketOwnerEnforced since the configuration was accepted,
    /// and then the bucket owner's ownership alone governs the object (spec §5.3).
    /// </summary>
    private async Task<string?> AclAsync(BucketInfo target, SegmentMetadata metadata, CancellationToken ct)
    {
        if (aclDocument is null || metadata.TargetGrants is not { Count: > 0 } grants || await authorizer.AclsDisabledAsync(target, ct))
        {
            return null;
        }

        return aclDocument(LogObjectAcl.For(target.OwnerCanonicalId, grants));
    }

    /// <summary>
    /// spec §3.4: a delivery is an ordinary PUT into the target, so it appears in the target's own
    /// log when the target logs. Guard rails forbid cycles, so this chain ends.
    /// </summary>
    private void RecordDeliveryInTargetLog(BucketInfo target, string key, long size, DateTimeOffset at)
    {
        if (!spool.IsLogged(target.Name))
        {
            return;
        }

        spool.Write(new AccessLogRecord
        {
            BucketOwner = target.OwnerCanonicalId,
            Bucket = target.Name,
            Time = at,
            Requester = DeliveryRequester,
            RequestId = RequestId.NewRequestId(),
            Operation = "REST.PUT.OBJECT",
            Key = key,
            HttpStatus = 200,
            ObjectSize = size,
            HostId = RequestId.NewHostId(),
        });
    }

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Delivered {Records} access-log records of bucket {Source} to {Target}/{Key}")]
    private static partial void LogDelivered(ILogger logger, long records, string source, string target, string key);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Access-log delivery of bucket {Source} to {Target} failed, records kept for retry: {Error}")]
    private static partial void LogFailed(ILogger logger, string source, string target, string error);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "Access-log delivery loop failed; retrying")]
    private static partial void LogLoopError(ILogger logger, Exception error);
}

/// <summary>What one delivery pass did: every log object written, and every failure.</summary>
public sealed record DeliveryReport(IReadOnlyList<DeliveredLogObject> Delivered, IReadOnlyList<string> Errors);

/// <summary>One log object put into its target bucket.</summary>
public sealed record DeliveredLogObject(string SourceBucket, string TargetBucket, string Key, long Records);
