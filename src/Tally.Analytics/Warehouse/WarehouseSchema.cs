using Tally.AccessLogs.Records;

namespace Tally.Analytics.Warehouse;

/// <summary>
/// A column of a warehouse table. A column with an <see cref="Expression"/> is a virtual generated
/// column: computed from the stored ones when read, so ingest neither writes nor compresses it.
/// </summary>
public sealed record WarehouseColumn(string Name, string Type, string Description, string? Expression = null)
{
    public bool IsStored => Expression is null;

    internal string Definition => WarehouseSchema.Quote(Name) + " " + Type + (Expression is null ? string.Empty : $" GENERATED ALWAYS AS ({Expression}) VIRTUAL");
}

/// <summary>
/// The warehouse tables. <c>access_logs</c> starts with Athena's 27 columns, names and types
/// (spec §7.1, from <see cref="AccessLogFields"/>) and the <c>timestamp</c> partition column, so the
/// AWS example queries (spec §7.3) run verbatim; typed columns follow.
/// </summary>
/// <remarks>
/// The Athena columns hold what Athena's RegexSerDe would: quoted fields keep their quotes, <c>-</c>
/// stays the string <c>-</c>, BIGINT columns are NULL for <c>-</c>, and fields an older line does not
/// have are NULL. Typed columns that are a cheap function of an Athena column (status, times,
/// method, header values, the partition text) are virtual: ingest cost grows with every stored column
/// (bench/analytics/README.md), and a cast or substring at query time costs little.
/// Ingest writes <see cref="StoredAccessLogColumns"/> in their order.
/// </remarks>
public static class WarehouseSchema
{
    public const string AccessLogsTable = "access_logs";

    /// <summary>The database name of the AWS DDL (spec §7.2), a schema here.</summary>
    public const string AthenaDatabase = "s3_access_logs_db";

    public static IReadOnlyList<WarehouseColumn> AthenaColumns { get; } =
    [
        .. AccessLogFields.All.Select(f => new WarehouseColumn(f.AthenaColumn, f.AthenaType == "BIGINT" ? "BIGINT" : "VARCHAR", f.AwsName)),
        new("timestamp", "VARCHAR", "Athena's partition column: the event date as yyyy/MM/dd", "strftime(event_time, '%Y/%m/%d')"),
    ];

    public static IReadOnlyList<WarehouseColumn> TypedColumns { get; } =
    [
        new("event_time", "TIMESTAMP", "Time as a UTC timestamp"),
        new("event_date", "DATE", "UTC date of event_time", "CAST(event_time AS DATE)"),
        // The parser accepts only digits or - in these fields (a line with anything else is rejected).
        new("http_status_code", "INTEGER", "HTTP status as an integer; NULL for -", "TRY_CAST(httpstatus AS INTEGER)"),
        new("total_time_ms", "BIGINT", "Total Time in ms; NULL for -", "TRY_CAST(totaltime AS BIGINT)"),
        new("turnaround_time_ms", "BIGINT", "Turn-Around Time in ms; NULL for -", "TRY_CAST(turnaroundtime AS BIGINT)"),
        new("key_decoded", "VARCHAR", "the real object key (decoded twice for REST/WEBSITE, once for BATCH/S3.*; spec §1.4)"),
        // A parsed Request-URI or User-Agent is absent, -, or quoted (the parser rejects anything else);
        // "-" is the logged form of an absent header (AccessLogRecord.AbsentHeader).
        new(
            "request_method",
            "VARCHAR",
            "HTTP method of the Request-URI; NULL when there was no request line",
            """CASE WHEN request_uri IS NULL OR request_uri IN ('-', '"-"') THEN NULL WHEN strpos(request_uri, ' ') > 2 THEN request_uri[2:strpos(request_uri, ' ') - 1] END"""),
        // A Referer may also be an unquoted token, which is its value.
        new(
            "referer",
            "VARCHAR",
            "Referer header without quotes; NULL when absent",
            """CASE WHEN referrer IS NULL OR referrer IN ('', '-', '"-"') THEN NULL WHEN length(referrer) >= 2 AND starts_with(referrer, '"') AND ends_with(referrer, '"') THEN referrer[2:-2] ELSE referrer END"""),
        new(
            "user_agent",
            "VARCHAR",
            "User-Agent header without quotes; NULL when absent",
            """CASE WHEN useragent IS NULL OR useragent IN ('', '-', '"-"') THEN NULL ELSE useragent[2:-2] END"""),
        new("requester_type", "VARCHAR", "anonymous, canonical-user, iam-user, assumed-role, federated-user, root, service or other"),
        new("requester_account", "VARCHAR", "12-digit account of an IAM/STS ARN requester"),
        new("requester_user", "VARCHAR", "IAM user name (or federated user name)"),
        new("requester_role", "VARCHAR", "role name of an assumed-role requester"),
        new("requester_session", "VARCHAR", "session name of an assumed-role requester"),
        new("acl_required", "BOOLEAN", "aclRequired = Yes", "CASE WHEN aclrequired IS NULL THEN NULL ELSE aclrequired NOT IN ('', '-') END"),
        new("field_count", "INTEGER", "fields in the line (18 to 27, more when AWS appended new ones)"),
        new("source_file", "VARCHAR", "the log object the line came from"),
        new("line_number", "BIGINT", "1-based line number in source_file"),
    ];

    public static IReadOnlyList<WarehouseColumn> AccessLogColumns { get; } = [.. AthenaColumns, .. TypedColumns];

    /// <summary>The columns ingest writes, in table order.</summary>
    public static IReadOnlyList<WarehouseColumn> StoredAccessLogColumns { get; } = [.. AccessLogColumns.Where(c => c.IsStored)];

    /// <summary>
    /// The layout of the tables, kept in <c>warehouse_meta</c>. 1: every typed column stored (no
    /// <c>warehouse_meta</c> table); 2: derivable typed columns virtual.
    /// </summary>
    public const int Version = 2;

    /// <summary>Lines that did not parse, with where they came from and why (never silently dropped).</summary>
    public static IReadOnlyList<WarehouseColumn> RejectedLineColumns { get; } =
    [
        new("file", "VARCHAR", "the log object the line came from"),
        new("line_number", "BIGINT", "1-based line number in file"),
        new("reason", "VARCHAR", "why the line was rejected"),
        new("line", "VARCHAR", "the line (its first 16 KiB characters; a prefix sample for an over-long line)"),
    ];

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Statements that create the schema if it is missing; safe to run on every open.</summary>
    public static IReadOnlyList<string> CreateStatements() =>
    [
        $"CREATE SCHEMA IF NOT EXISTS {AthenaDatabase}",
        $"CREATE TABLE IF NOT EXISTS {AccessLogsTable} ({string.Join(", ", AccessLogColumns.Select(c => c.Definition))})",
        $"CREATE TABLE IF NOT EXISTS rejected_lines ({string.Join(", ", RejectedLineColumns.Select(c => c.Definition))})",
        """
        CREATE TABLE IF NOT EXISTS loaded_files (
            file VARCHAR NOT NULL, size BIGINT NOT NULL, version VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL,
            lines_read BIGINT NOT NULL, lines_loaded BIGINT NOT NULL, lines_rejected BIGINT NOT NULL,
            PRIMARY KEY (file, size, version))
        """,
    ];

    /// <summary>The view name for one source bucket, Athena-style: <c>amzn-s3-demo.bucket</c> → <c>amzn_s3_demo_bucket_logs</c>.</summary>
    public static string BucketViewName(string bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var chars = bucket.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var name = new string(chars) + "_logs";
        return char.IsAsciiDigit(name[0]) ? "bucket_" + name : name;
    }
}
