using Tally.Storage;

namespace Tally.Server.Hosting;

/// <summary>The services every handler may use, resolved once at start-up.</summary>
public sealed record TallyServices(
    IObjectStore Store,
    IBucketSettingsStore Settings,
    TimeProvider Time,
    TallyOptions Options);
