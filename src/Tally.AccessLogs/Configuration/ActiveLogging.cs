using Tally.Storage.Model;

namespace Tally.AccessLogs.Configuration;

/// <summary>
/// A source bucket whose requests are being logged: the facts about the source that records and
/// log-object keys need (owner, account, region) and its configuration. Immutable: a configuration
/// change produces a new instance, and records keep the instance that was current when they were
/// written.
/// </summary>
public sealed record ActiveLogging(BucketInfo Source, LoggingConfiguration Configuration)
{
    public string SourceBucket => Source.Name;
}
