using System.CommandLine;
using System.Globalization;
using DuckDB.NET.Data;
using Tally.Analytics.Export;
using Tally.Analytics.Warehouse;

namespace Tally.Cli.Commands;

/// <summary><c>tally logs ingest</c> and <c>tally logs export</c>: loading the warehouse and writing it out.</summary>
internal static class LogsAnalyticsCommands
{
    public static Command Ingest()
    {
        var source = new Option<string>("--source") { Description = "Log objects to load: a file, a directory, a glob, or s3://bucket/prefix (plain or gzip)", Required = true };
        var endpoint = AnalyticsOptions.Endpoint();
        var data = CommonOptions.Data();
        var memory = AnalyticsOptions.MemoryLimit();
        var command = new Command("ingest", "Load log objects not loaded yet into the warehouse (incremental, idempotent)") { source, endpoint, data, memory };
        command.SetAction(async (result, ct) =>
        {
            using var warehouse = LogWarehouse.Open(LogWarehouse.PathFor(result.GetRequiredValue(data)), new WarehouseOptions { MemoryLimit = result.GetRequiredValue(memory) });
            var summary = await AnalyticsSession.IngestAsync(warehouse, result.GetRequiredValue(source), result.GetValue(endpoint), ct);
            // 1: the source could not be read; 3: some objects failed (the rest were loaded).
            return summary is null ? 1 : summary.Failures.Count > 0 ? 3 : 0;
        });
        return command;
    }

    public static Command Export()
    {
        var format = new Option<ExportFormat>("--format") { Description = "parquet (Hive-style event_date= partitions) or jsonl", DefaultValueFactory = _ => ExportFormat.Parquet };
        var output = new Option<string>("--out") { Description = "Directory to write (must be empty unless --overwrite)", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into a non-empty directory" };
        var data = CommonOptions.Data();
        var command = new Command("export", "Export the warehouse as Parquet or JSON lines") { format, output, overwrite, data };
        command.SetAction(async (result, ct) =>
        {
            var path = LogWarehouse.PathFor(result.GetRequiredValue(data));
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"error: no warehouse at {Path.GetFullPath(path)}; run `tally logs ingest` first.");
                return 1;
            }

            try
            {
                using var warehouse = LogWarehouse.Open(path);
                var exported = LogExporter.Export(warehouse, result.GetRequiredValue(format), result.GetRequiredValue(output), result.GetValue(overwrite));
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"exported {exported.Rows} records to {exported.Directory} ({exported.Files} files)"));
                return 0;
            }
            catch (Exception e) when (e is IOException or DuckDBException)
            {
                await Console.Error.WriteLineAsync("error: " + e.Message.Trim());
                return 1;
            }
        });
        return command;
    }
}
