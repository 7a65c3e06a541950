namespace Tally.Analytics.Warehouse;

/// <summary>
/// Another process holds the warehouse file: DuckDB allows one process to write a database file,
/// or several to read it, never both. <c>tally serve</c> holds its warehouse only while it loads
/// newly delivered logs; a long query or <c>tally logs ingest</c> holds it for as long as it runs.
/// </summary>
public sealed class WarehouseBusyException : IOException
{
    public WarehouseBusyException()
    {
    }

    public WarehouseBusyException(string message)
        : base(message)
    {
    }

    public WarehouseBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal WarehouseBusyException(string path, DuckDB.NET.Data.DuckDBException lockError)
        : base(
            $"The warehouse {path} is in use by another process ({lockError.Message.Replace("DuckDBOpen failed: ", string.Empty, StringComparison.Ordinal).Trim()}). "
            + "A running `tally serve` holds it only while it loads new access logs, so try again in a moment; a long query or `tally logs ingest` holds it until it ends.",
            lockError)
    {
    }
}
