using System.Collections.Concurrent;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.AccessLogs.Configuration;

/// <summary>
/// Every bucket's logging configuration: durable in the bucket settings (kind
/// <see cref="SettingsKind"/>) and mirrored in memory so the request path asks "is this bucket
/// logged?" without I/O. Changes are serialised so two concurrent PutBucketLogging calls cannot
/// together close a cycle that each alone would not.
/// </summary>
public sealed class LoggingRegistry(IObjectStore store, IBucketSettingsStore settings) : IDisposable
{
    public const string SettingsKind = "logging";

    private readonly ConcurrentDictionary<string, ActiveLogging> _active = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);

    public bool IsLogged(string bucket) => _active.ContainsKey(bucket);

    public ActiveLogging? Get(string bucket) => _active.TryGetValue(bucket, out var active) ? active : null;

    public IReadOnlyCollection<ActiveLogging> All => [.. _active.Values];

    /// <summary>The configuration GetBucketLogging answers (read from the settings, the source of truth).</summary>
    public async Task<LoggingConfiguration?> ReadAsync(string bucket, CancellationToken ct)
    {
        var document = await settings.GetAsync(bucket, SettingsKind, ct);
        return document is null ? null : BucketLoggingStatusXml.FromDocument(document);
    }

    /// <summary>
    /// Replaces the in-memory view with the settings: at start-up, and periodically so buckets
    /// deleted (with their settings) stop being logged.
    /// </summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        await _changes.WaitAsync(ct);
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (bucket, document) in await settings.ListAsync(SettingsKind, ct))
            {
                var configuration = BucketLoggingStatusXml.FromDocument(document);
                var source = configuration is null ? null : await store.GetBucketAsync(bucket, ct);
                if (configuration is null || source is null)
                {
                    continue;
                }

                seen.Add(bucket);
                var current = Get(bucket);
                if (current is null || current.Source != source || !current.Configuration.Equals(configuration))
                {
                    _active[bucket] = new ActiveLogging(source, configuration);
                }
            }

            foreach (var bucket in _active.Keys)
            {
                if (!seen.Contains(bucket))
                {
                    _active.TryRemove(bucket, out _);
                }
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Validates (under the change lock) and stores a configuration; null disables logging.
    /// <paramref name="validate"/> throws the S3Exception that rejects it.
    /// </summary>
    public async Task SetAsync(BucketInfo source, LoggingConfiguration? configuration, Func<LoggingConfiguration, CancellationToken, Task> validate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(validate);
        await _changes.WaitAsync(ct);
        try
        {
            if (configuration is null)
            {
                await settings.DeleteAsync(source.Name, SettingsKind, ct);
                _active.TryRemove(source.Name, out _);
                return;
            }

            await validate(configuration, ct);
            await settings.PutAsync(source.Name, SettingsKind, BucketLoggingStatusXml.ToDocument(configuration), ct);
            _active[source.Name] = new ActiveLogging(source, configuration);
        }
        finally
        {
            _changes.Release();
        }
    }

    public void Dispose() => _changes.Dispose();
}
