using System.Collections.Concurrent;
using Tally.Storage;

namespace Tally.Lifecycle.Configuration;

/// <summary>
/// A bucket's lifecycle configuration as a settings document (kind <c>lifecycle</c>). Only
/// validated configurations are stored: build them with <see cref="LifecycleConfigurationXml.Parse"/>,
/// <see cref="LifecycleRules.ForLogBucket"/> or <see cref="LifecycleRules.WithRule"/>. Thread-safe;
/// parsed configurations are kept while their stored document is unchanged, since GET, HEAD and
/// PUT read them for the x-amz-expiration header.
/// </summary>
public sealed class LifecycleSettings(IBucketSettingsStore settings)
{
    public const string Kind = "lifecycle";

    private readonly ConcurrentDictionary<string, (string Document, LifecycleRules Rules)> _parsed = new(StringComparer.Ordinal);

    /// <summary>Null when the bucket has no lifecycle configuration.</summary>
    public async Task<LifecycleRules?> GetAsync(string bucket, CancellationToken ct)
    {
        var document = await settings.GetAsync(bucket, Kind, ct).ConfigureAwait(false);
        if (document is null)
        {
            _ = _parsed.TryRemove(bucket, out _);
            return null;
        }

        if (_parsed.TryGetValue(bucket, out var cached) && string.Equals(cached.Document, document, StringComparison.Ordinal))
        {
            return cached.Rules;
        }

        var rules = LifecycleConfigurationXml.FromDocument(document);
        _parsed[bucket] = (document, rules);
        return rules;
    }

    /// <summary>Replaces the whole configuration (PutBucketLifecycleConfiguration semantics, spec §6.1).</summary>
    public Task PutAsync(string bucket, LifecycleRules configuration, CancellationToken ct)
    {
        LifecycleValidator.Validate(configuration);
        return settings.PutAsync(bucket, Kind, LifecycleConfigurationXml.ToDocument(configuration), ct);
    }

    public Task DeleteAsync(string bucket, CancellationToken ct) => settings.DeleteAsync(bucket, Kind, ct);

    /// <summary>
    /// Adds <paramref name="rule"/> to the bucket's configuration (creating one), replacing a rule
    /// with the same ID; other rules are kept. For <c>tally logging enable --cold-after/--expire-after</c>.
    /// </summary>
    public async Task<LifecycleRules> PutRuleAsync(string bucket, LifecycleRule rule, CancellationToken ct)
    {
        var existing = await GetAsync(bucket, ct).ConfigureAwait(false);
        var updated = existing is null ? new LifecycleRules([rule]) : existing.WithRule(rule);
        await PutAsync(bucket, updated, ct).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Every bucket with a lifecycle configuration, in bucket-name order.</summary>
    public async Task<IReadOnlyList<(string Bucket, LifecycleRules Rules)>> ListAsync(CancellationToken ct)
    {
        var documents = await settings.ListAsync(Kind, ct).ConfigureAwait(false);
        return documents.Select(d => (d.Bucket, LifecycleConfigurationXml.FromDocument(d.Document))).ToList();
    }
}
