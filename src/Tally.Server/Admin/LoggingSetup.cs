using System.Text.Json.Nodes;
using Tally.AccessLogs.Configuration;
using Tally.Core.Errors;
using Tally.Core.Naming;
using Tally.Security.Policies;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Admin;

/// <summary>
/// `tally logging enable`: the one-line setup done right — the target created if needed (same
/// owner, same region), delivery allowed, logging enabled through the same guard rails as
/// PutBucketLogging.
/// </summary>
public sealed class LoggingSetup(IObjectStore store, IBucketSettingsStore settings, LoggingRegistry registry, LoggingGuardRails guardRails, TimeProvider time)
{
    private const string PolicyKind = "policy";

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
        await AllowDeliveryAsync(source, target, prefix, ct);
        await registry.SetAsync(source, configuration, (candidate, token) => guardRails.ValidateAsync(source, candidate, token), ct);
        return new LoggingSetupResult(source.Name, target.Name, prefix, request.Partitioned, created, PolicyWritten: true);
    }

    /// <summary>
    /// Adds (or replaces) the least-privilege statement of spec §5.1 in the target's bucket policy:
    /// the logging service principal may s3:PutObject under the prefix, only for this source bucket
    /// and account. Other statements are kept.
    /// </summary>
    private async Task AllowDeliveryAsync(BucketInfo source, BucketInfo target, string prefix, CancellationToken ct)
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
        var existing = await settings.GetAsync(target.Name, PolicyKind, ct);
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
        await settings.PutAsync(target.Name, PolicyKind, json, ct);
    }
}

public sealed record LoggingSetupRequest(string Source, string Target, string? Prefix, bool Partitioned);

public sealed record LoggingSetupResult(string Source, string Target, string Prefix, bool Partitioned, bool TargetCreated, bool PolicyWritten);
