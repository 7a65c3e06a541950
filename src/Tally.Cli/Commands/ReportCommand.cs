using System.CommandLine;
using System.Globalization;
using DuckDB.NET.Data;
using Tally.Analytics.Reports;
using Tally.Cli.Output;

namespace Tally.Cli.Commands;

/// <summary><c>tally report security|cost|traffic</c>: the canned reports of <see cref="AccessLogReports"/>.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var kind = new Argument<ReportKind>("report") { Description = "security, cost or traffic" };
        var since = new Option<string?>("--since") { Description = "From this time (2024-01-29, 2024-01-29T10:00:00Z, or an age: 24h, 7d)" };
        var until = new Option<string?>("--until") { Description = "Before this time (same forms as --since)" };
        var bucket = new Option<string?>("--bucket") { Description = "Only this source bucket" };
        var prices = new Option<string?>("--prices") { Description = "Cost report prices in USD, e.g. put=0.005,get=0.0004,egress=0.09 (defaults: S3 Standard us-east-1)" };
        var source = AnalyticsOptions.Source();
        var endpoint = AnalyticsOptions.Endpoint();
        var format = AnalyticsOptions.Format();
        var maxRows = AnalyticsOptions.MaxRows();
        var data = CommonOptions.Data();
        var memory = AnalyticsOptions.MemoryLimit();
        var command = new Command("report", "Security, cost or traffic report over access logs")
        {
            kind, since, until, bucket, prices, source, endpoint, format, maxRows, data, memory,
        };
        command.SetAction(async (result, ct) =>
        {
            ReportFilter filter;
            PriceTable priceTable;
            try
            {
                filter = new ReportFilter(
                    AnalyticsOptions.ParseTime(result.GetValue(since), TimeProvider.System),
                    AnalyticsOptions.ParseTime(result.GetValue(until), TimeProvider.System),
                    result.GetValue(bucket));
                priceTable = result.GetValue(prices) is { } p ? PriceTable.Parse(p) : PriceTable.Default;
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync("error: " + e.Message);
                return 2;
            }

            using var warehouse = await AnalyticsSession.OpenAsync(
                result.GetRequiredValue(data), result.GetValue(source), result.GetValue(endpoint), result.GetRequiredValue(memory), ct);
            if (warehouse is null)
            {
                return 1;
            }

            try
            {
                AccessLogReports.PrepareScope(warehouse, filter, priceTable);
                var report = result.GetRequiredValue(kind);
                var output = result.GetRequiredValue(format);
                var sections = AccessLogReports.Sections(report);
                if (output == OutputFormat.Json)
                {
                    await Console.Out.WriteAsync($"{{\"report\":\"{report.ToString().ToLowerInvariant()}\",\"sections\":[");
                }

                for (var i = 0; i < sections.Count; i++)
                {
                    var section = sections[i];
                    using var dbCommand = warehouse.CreateCommand(section.Sql);
                    using var reader = await dbCommand.ExecuteReaderAsync(ct);
                    switch (output)
                    {
                        case OutputFormat.Table:
                            ResultWriter.WriteTable(reader, Console.Out, result.GetRequiredValue(maxRows), section.Title);
                            await Console.Out.WriteLineAsync();
                            break;
                        case OutputFormat.Csv:
                            await Console.Out.WriteLineAsync("# " + section.Title);
                            await ResultWriter.WriteAsync(reader, output, Console.Out, int.MaxValue, ct);
                            await Console.Out.WriteLineAsync();
                            break;
                        default:
                            await Console.Out.WriteAsync(string.Create(
                                CultureInfo.InvariantCulture,
                                $"{(i > 0 ? "," : string.Empty)}{{\"name\":{System.Text.Json.JsonSerializer.Serialize(section.Name)},\"title\":{System.Text.Json.JsonSerializer.Serialize(section.Title)},\"rows\":"));
                            await ResultWriter.WriteAsync(reader, output, Console.Out, int.MaxValue, ct);
                            await Console.Out.WriteAsync("}");
                            break;
                    }
                }

                if (output == OutputFormat.Json)
                {
                    await Console.Out.WriteLineAsync("]}");
                }

                return 0;
            }
            catch (DuckDBException e)
            {
                await Console.Error.WriteLineAsync("error: " + AnalyticsSession.Describe(e));
                return 1;
            }
        });
        return command;
    }
}
