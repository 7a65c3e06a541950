namespace Tally.Analytics.Warehouse;

/// <summary>DuckDB settings for a warehouse connection.</summary>
public sealed record WarehouseOptions
{
    /// <summary>DuckDB's memory_limit; past it DuckDB spills to <see cref="TempDirectory"/>.</summary>
    public string MemoryLimit { get; init; } = "512MB";

    /// <summary>DuckDB worker threads; null = DuckDB's default (one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>Where DuckDB spills; null = DuckDB's default (next to the database file).</summary>
    public string? TempDirectory { get; init; }

    /// <summary>
    /// How long opening a warehouse file waits while another process holds it (DuckDB allows one
    /// writer process, or several readers); then <see cref="WarehouseBusyException"/>.
    /// </summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Set by <see cref="LogWarehouse.OpenReadOnly"/>.</summary>
    internal bool ReadOnly { get; init; }
}
