using System.Text.Json.Nodes;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.Core.Errors;
using Tally.Core.Naming;
using Tally.Lifecycle.Configuration;
using Tally.Security.Policies;
using Tally.Server.Operations.Access;
using Tally.Server.Operations.Buckets;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Admin;

/// <summary>
/// `tally logging enable`: the one-line setup done right — the target created if needed (same
/// owner, same region), delivery allowed, logging enabled through the same guard rails as
/// PutBucketLogging — and, with a retention, the target's lifecycle rule for these logs (issue 7).
/// Everything that can be refused is checked before anything is written.
/// </summary>
public sealed class LoggingSetup(IObjectStore store, IBucketSettingsStore settings, LoggingRegistry registry, LoggingGuardRails guardRails, LifecycleSettings lifecycle, TimeProvider time)
{
    public async Task<LoggingSetupResult> EnableAsync(LoggingSetupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = await store.GetBucketAsync(request.Source, ct)
            ?? throw S3Exception.With(S3Errors.NoSuchBucket, null, ("BucketName", request.Source));
        var target = await store.GetBucketAsync(request.Target, ct);

        // AWS recommends a prefix ending in '/' (spec §3.1); one per source keeps shared targets tidy.
        var prefix = request.Prefix ?? source.Name + "/";
        LifecycleRule? retention = null;
        if (request.ColdAfterDays is not null || request.ExpireAfterDays is not null)
        {
            retention = LifecycleRules.ForLogBucket(source.Name, prefix, request.ColdAfterDays, request.ExpireAfterDays);
            if (target is not null && await lifecycle.GetAsync(target.Name, ct) is { } existing)
            {
                _ = existing.WithRule(retention);
            }
        }

        var created = false;
        if (target is null)
        {
            BucketName.Validate(request.Target);
            target = new BucketInfo(request.Target, source.OwnerAccountId, source.OwnerCanonicalId, source.Region, time.GetUtcNow());
            await BucketDefaults.CreateAsync(store, settings, target, ct);
            created = true;
        }

        var configuration = new LoggingConfiguration(
            target.Name,
            prefix,
            null,
            request.Partitioned ? new TargetObjectKeyFormat(true, PartitionDateSource.EventTime) : null);
        var previousPolicy = created ? null : await settings.GetAsync(target.Name, BucketAccess.PolicyKind, ct);
        try
        {
            await AllowDeliveryAsync(source, target, prefix, previousPolicy, ct);
            await registry.SetAsync(source, configuration, (candidate, token) => guardRails.ValidateAsync(source, candidate, token), ct);
        }
        catch (S3Exception)
        {
            // Refused by the guard rails (spec §4.4): undo what this setup wrote, so a refused
            // request changes nothing — the bucket it created, or the target's policy as it was.
            await UndoAsync(target.Name, created, previousPolicy);
            throw;
        }

        if (retention is not null)
        {
            _ = await lifecycle.PutRuleAsync(target.Name, retention, ct);
        }

        return new LoggingSetupResult(source.Name, target.Name, prefix, request.Partitioned, created, PolicyWritten: true)
        {
            Retention = retention is null ? null : LogRetention.Describe(target.Name, retention),
        };
    }

    private async Task UndoAsync(string target, bool created, string? previousPolicy)
    {
        if (created)
        {
            await store.DeleteBucketAsync(target, CancellationToken.None);
        }
        else if (previousPolicy is null)
        {
            await settings.DeleteAsync(target, BucketAccess.PolicyKind, CancellationToken.None);
        }
        else
        {
            await settings.PutAsync(target, BucketAccess.PolicyKind, previousPolicy, CancellationToken.None);
        }
    }

    /// <summary>
    /// Adds (or replaces) the least-privilege statement of spec §5.1 in the target's bucket policy:
    /// the logging service principal may s3:PutObject under the prefix, only for this source bucket
    /// and account. Other statements of <paramref name="existing"/> (the stored policy) are kept.
    /// </summary>
    private async Task AllowDeliveryAsync(BucketInfo source, BucketInfo target, string prefix, string? existing, CancellationToken ct)
    {
        var sid = "S3ServerAccessLogs" + new string([.. source.Name.Where(char.IsAsciiLetterOrDigit)]);
        var statement = new JsonObject
        {
            ["Sid"] = sid,
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "logging.s3.amazonaws.com" },
            ["Action"] = "s3:PutObject",
            ["Resource"] = $"arn:aws:s3:::{target.Name}/{prefix}*",
            ["Condition"] = new JsonObject
            {
                ["ArnLike"] = new JsonObject { ["aws:SourceArn"] = $"arn:aws:s3:::{source.Name}" },
                ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = source.OwnerAccountId },
            },
        };
        var policy = existing is null ? new JsonObject { ["Version"] = "2012-10-17" } : JsonNode.Parse(existing)!.AsObject();
        var statements = policy["Statement"] switch
        {
            JsonArray array => array,
            JsonObject single => new JsonArray(single.DeepClone()),
            _ => [],
        };
        foreach (var old in statements.Where(s => s?["Sid"]?.GetValue<string>() == sid).ToList())
        {
            statements.Remove(old);
        }

        statements.Add(statement);
        policy["Statement"] = statements.DeepClone();
        var json = policy.ToJsonString();
        PolicyDocument.ParseBucketPolicy(json, target.Name);
        await settings.PutAsync(target.Name, BucketAccess.PolicyKind, json, ct);
    }
}

/// <summary><c>POST /_tally/logging/enable</c>: days of the retention are whole days (null: that action left out).</summary>
public sealed record LoggingSetupRequest(string Source, string Target, string? Prefix, bool Partitioned, int? ColdAfterDays = null, int? ExpireAfterDays = null);

public sealed record LoggingSetupResult(string Source, string Target, string Prefix, bool Partitioned, bool TargetCreated, bool PolicyWritten)
{
    /// <summary>The lifecycle rule written to the target for these logs, when a retention was asked for.</summary>
    public LogRetentionRule? Retention { get; init; }
}
