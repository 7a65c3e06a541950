using System.Globalization;
using DuckDB.NET.Data;
using Tally.AccessLogs.Records;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Ingest;

/// <summary>Appends parsed lines to <c>access_logs</c> in <see cref="WarehouseSchema.AccessLogColumns"/> order.</summary>
internal static class AccessLogRowWriter
{
    // Rejected lines are kept for inspection, not for replay; a bounded prefix is enough.
    internal const int MaxRejectedLineChars = 16 * 1024;

    public static void Append(DuckDBAppender appender, ParsedAccessLogLine parsed, string sourceFile, long lineNumber)
    {
        var record = parsed.Record;
        var row = appender.CreateRow();

        // Athena's columns hold the logged text (spec §7.1): the parser's raw field values.
        foreach (var field in AccessLogFields.All)
        {
            switch (field.Field)
            {
                case AccessLogField.BytesSent:
                    row.AppendValue(record.BytesSent);
                    break;
                case AccessLogField.ObjectSize:
                    row.AppendValue(record.ObjectSize);
                    break;
                default:
                    row.AppendValue(parsed.Raw(field.Field));
                    break;
            }
        }

        var time = record.Time.UtcDateTime;
        row.AppendValue(time.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture));
        row.AppendValue((DateTime?)time);
        row.AppendValue((DateOnly?)DateOnly.FromDateTime(time));
        row.AppendValue(record.HttpStatus);
        row.AppendValue(record.TotalTime);
        row.AppendValue(record.TurnAroundTime);
        row.AppendValue(record.Key);
        row.AppendValue(RequestMethod(record.RequestUri));
        row.AppendValue(HeaderValue(record.Referer));
        row.AppendValue(HeaderValue(record.UserAgent));
        var requester = RequesterIdentity.Parse(parsed.Raw(AccessLogField.Requester));
        row.AppendValue(requester?.Type);
        row.AppendValue(requester?.Account);
        row.AppendValue(requester?.User);
        row.AppendValue(requester?.Role);
        row.AppendValue(requester?.Session);
        row.AppendValue(parsed.Has(AccessLogField.AclRequired) ? record.AclRequired : (bool?)null);
        row.AppendValue((int?)parsed.FieldCount);
        row.AppendValue(sourceFile);
        row.AppendValue((long?)lineNumber);
        row.EndRow();
    }

    public static void AppendRejected(DuckDBAppender appender, string sourceFile, long lineNumber, string reason, string line)
    {
        appender.CreateRow()
            .AppendValue(sourceFile)
            .AppendValue((long?)lineNumber)
            .AppendValue(reason)
            .AppendValue(line.Length > MaxRejectedLineChars ? line[..MaxRejectedLineChars] : line)
            .EndRow();
    }

    private static string? RequestMethod(string? requestUri)
    {
        if (requestUri is null or AccessLogRecord.AbsentHeader)
        {
            return null;
        }

        var space = requestUri.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? requestUri[..space] : null;
    }

    private static string? HeaderValue(string? value) => value is null or AccessLogRecord.AbsentHeader ? null : value;
}
