using System.Globalization;
using System.Reflection;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Reports;

/// <summary>
/// The security, cost and traffic reports. Each section is an embedded SQL file
/// (<c>Reports/Sql/&lt;report&gt;.&lt;n&gt;.sql</c>, first line <c>-- title</c>) that reads the temporary
/// views <c>report_logs</c> (access_logs narrowed by the <see cref="ReportFilter"/>) and
/// <c>report_priced</c> (plus price class and cost, from the <see cref="PriceTable"/>).
/// </summary>
public static class AccessLogReports
{
    internal const string ResourcePrefix = "Tally.Analytics.Reports.Sql.";

    public static IReadOnlyList<ReportSection> Sections(ReportKind kind)
    {
        var prefix = ResourcePrefix + kind.ToString().ToLowerInvariant() + ".";
        var assembly = typeof(AccessLogReports).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(n => int.Parse(n[prefix.Length..^".sql".Length], CultureInfo.InvariantCulture))
            .Select(n => ToSection(n[ResourcePrefix.Length..^".sql".Length], Read(assembly, n)))];
    }

    /// <summary>Creates the temporary views the report SQL reads, for this connection.</summary>
    public static void PrepareScope(LogWarehouse warehouse, ReportFilter filter, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(prices);
        var conditions = new List<string> { "true" };
        if (filter.Since is { } since)
        {
            conditions.Add($"event_time >= {Timestamp(since)}");
        }

        if (filter.Until is { } until)
        {
            conditions.Add($"event_time < {Timestamp(until)}");
        }

        if (filter.Bucket is { } bucket)
        {
            conditions.Add($"bucket_name = {AthenaFunctions.Literal(bucket)}");
        }

        warehouse.Execute($"CREATE OR REPLACE TEMP VIEW report_logs AS SELECT * FROM main.{WarehouseSchema.AccessLogsTable} WHERE {string.Join(" AND ", conditions)}");
        warehouse.Execute(string.Create(
            CultureInfo.InvariantCulture,
            $"CREATE OR REPLACE TEMP TABLE report_prices AS SELECT {prices.PutCopyPostListPer1000}::DOUBLE AS put_copy_post_list_per_1000, {prices.GetAndOtherPer1000}::DOUBLE AS get_and_other_per_1000, {prices.EgressPerGb}::DOUBLE AS egress_per_gb"));
        warehouse.Execute(Read(typeof(AccessLogReports).Assembly, ResourcePrefix + "priced.sql"));
    }

    private static string Timestamp(DateTimeOffset value) =>
        "TIMESTAMP '" + value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'";

    private static ReportSection ToSection(string name, string sql)
    {
        var firstLine = sql.AsSpan()[..sql.IndexOf('\n', StringComparison.Ordinal)];
        var title = firstLine.StartsWith("--") ? firstLine[2..].Trim().ToString() : name;
        return new ReportSection(name, title, sql);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded report SQL {resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
