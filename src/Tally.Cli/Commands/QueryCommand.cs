using System.CommandLine;
using DuckDB.NET.Data;
using Tally.Cli.Output;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally query "SQL"</c>: Athena-compatible SQL (spec §7) over the data directory's warehouse, or
/// over <c>--source</c> log objects loaded into a scratch warehouse first.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("sql") { Description = "SQL over access_logs (Athena's columns; parse_datetime, date_format, regexp_extract …)" };
        var source = AnalyticsOptions.Source();
        var endpoint = AnalyticsOptions.Endpoint();
        var format = AnalyticsOptions.Format();
        var maxRows = AnalyticsOptions.MaxRows();
        var data = CommonOptions.Data();
        var memory = AnalyticsOptions.MemoryLimit();
        var command = new Command("query", "Query access logs with SQL, like Athena") { sql, source, endpoint, format, maxRows, data, memory };
        command.SetAction(async (result, ct) =>
        {
            using var warehouse = await AnalyticsSession.OpenAsync(
                result.GetRequiredValue(data), result.GetValue(source), result.GetValue(endpoint), result.GetRequiredValue(memory), ct);
            if (warehouse is null)
            {
                return 1;
            }

            try
            {
                using var dbCommand = warehouse.CreateCommand(result.GetRequiredValue(sql));
                using var reader = await dbCommand.ExecuteReaderAsync(ct);
                await ResultWriter.WriteAsync(reader, result.GetRequiredValue(format), Console.Out, result.GetRequiredValue(maxRows), ct);
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
