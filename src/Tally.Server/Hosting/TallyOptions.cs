using Tally.Lifecycle.Restore;

namespace Tally.Server.Hosting;

/// <summary>Everything `tally serve` can be told. Defaults are the embedded single-node setup.</summary>
public sealed record TallyOptions
{
    public string DataDir { get; init; } = "./data";

    /// <summary>host:port, e.g. 127.0.0.1:9000. Port 0 picks a free port (tests).</summary>
    public string Listen { get; init; } = "127.0.0.1:9000";

    /// <summary>The default region: where buckets without a LocationConstraint go.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Every region this server hosts (always includes <see cref="Region"/>).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Base domain for virtual-hosted-style addressing (bucket.DOMAIN); null = path-style only.</summary>
    public string? Domain { get; init; }

    public string? TlsCertificatePath { get; init; }

    public string? TlsKeyPath { get; init; }

    /// <summary>Allowed difference between a request's X-Amz-Date and the server clock.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Fields per access-log line: 27 (current) or 26 (older layout, without Source region).</summary>
    public int AccessLogFields { get; init; } = 27;

    /// <summary>Group-commit window of the log spool; zero fsyncs every record (DESIGN §3).</summary>
    public TimeSpan LogCommitWindow { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A log segment is sealed and delivered this long after its first record.</summary>
    public TimeSpan LogRollAge { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A log segment is sealed before it grows past this many bytes.</summary>
    public long LogRollBytes { get; init; } = 5L * 1024 * 1024;

    /// <summary>Records waiting for the spool writer at most (the memory bound); beyond it records are dropped and counted.</summary>
    public int LogQueueCapacity { get; init; } = 65_536;

    /// <summary>Where lifecycle transitions put cold data (another disk, say); null = &lt;data&gt;/cold.</summary>
    public string? ColdDir { get; init; }

    /// <summary>
    /// Makes one lifecycle day last this many seconds (as Ceph's debug interval, so S3 test suites
    /// can watch rules act); null = real days.
    /// </summary>
    public double? LifecycleDaySeconds { get; init; }

    /// <summary>
    /// How long a RestoreObject takes before the restored copy is readable, per retrieval tier and
    /// for DEEP_ARCHIVE (spec §6.6). Defaults: Expedited 10 s, Standard 60 s, Bulk 300 s.
    /// </summary>
    public RestoreDelays RestoreDelays { get; init; } = RestoreDelays.Default;

    /// <summary>
    /// The Standard restore delay; setting it scales every other tier from it
    /// (<see cref="RestoreDelays.FromStandard"/>), as <c>--restore-delay-seconds</c> does.
    /// </summary>
    public TimeSpan RestoreDelay
    {
        get => RestoreDelays.Standard;
        init => RestoreDelays = RestoreDelays.FromStandard(value);
    }

    /// <summary>
    /// Reads TALLY_* settings such as the root keys; the process environment unless a host (a
    /// test) supplies its own.
    /// </summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public IReadOnlyList<string> HostedRegions =>
        Regions.Contains(Region, StringComparer.Ordinal) ? Regions : [Region, .. Regions];
}
