using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Delivery;

/// <summary>
/// The one way records get in (request capture and lifecycle alike). Thread-safe; never blocks
/// on delivery and never throws: a record that cannot be kept is counted and reported through
/// the delivery status, not through the caller.
/// </summary>
public interface IAccessLogSink
{
    /// <summary>Whether <paramref name="bucket"/> has logging enabled now (cheap: an in-memory lookup).</summary>
    bool IsLogged(string bucket);

    /// <summary>Accepts a record for <see cref="AccessLogRecord.Bucket"/>'s log.</summary>
    void Write(AccessLogRecord record);
}
