using Tally.Analytics.Export;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Export;

public sealed class LogExporterTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private async Task<LogWarehouse> LoadedAsync()
    {
        var warehouse = LogWarehouse.OpenInMemory();
        // NCBI lines span 2019 and 2020: several days.
        await new LogIngestor(warehouse).IngestAsync(DirectoryLogSource.Enumerate(TestFiles.Conformance("ncbi-logging/aws_testlines.log")));
        return warehouse;
    }

    [Fact]
    public async Task Parquet_export_is_partitioned_by_day_in_Hive_style_and_reads_back_whole()
    {
        using var warehouse = await LoadedAsync();
        var output = Path.Combine(_files.Directory, "parquet");
        var result = LogExporter.Export(warehouse, ExportFormat.Parquet, output);
        var days = warehouse.Count("SELECT count(DISTINCT event_date) FROM access_logs");
        Assert.Equal(9, result.Rows);
        Assert.Equal(days, Directory.GetDirectories(output).Count(d => Path.GetFileName(d).StartsWith("event_date=", StringComparison.Ordinal)));
        Assert.Equal(9, warehouse.Count($"SELECT count(*) FROM read_parquet('{output}/*/*.parquet', hive_partitioning = true)"));
        Assert.Equal(
            warehouse.Count("SELECT CAST(sum(coalesce(bytessent, 0)) AS BIGINT) FROM access_logs"),
            warehouse.Count($"SELECT CAST(sum(coalesce(bytessent, 0)) AS BIGINT) FROM read_parquet('{output}/*/*.parquet', hive_partitioning = true)"));
    }

    [Fact]
    public async Task Jsonl_export_writes_one_object_per_record()
    {
        using var warehouse = await LoadedAsync();
        var output = Path.Combine(_files.Directory, "jsonl");
        LogExporter.Export(warehouse, ExportFormat.Jsonl, output);
        var lines = File.ReadAllLines(Path.Combine(output, "access_logs.jsonl"));
        Assert.Equal(9, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("{\"bucketowner\":", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_refuses_a_non_empty_directory_without_overwrite()
    {
        using var warehouse = await LoadedAsync();
        _files.Write("busy/keep.txt", "x");
        Assert.Throws<IOException>(() => LogExporter.Export(warehouse, ExportFormat.Parquet, Path.Combine(_files.Directory, "busy")));
        Assert.True(File.Exists(Path.Combine(_files.Directory, "busy", "keep.txt")));
    }
}
