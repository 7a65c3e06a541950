using System.IO.Compression;
using System.Text;
using Tally.Analytics.Ingest;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Ingest;

public sealed class IngestRobustnessTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Line(int n) =>
        $"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2019:00:00:{n % 60:00} +0000] 192.0.2.3 - {n:X16} REST.GET.OBJECT k{n} \"GET /mybucket/k{n} HTTP/1.1\" 200 - 10 10 7 2 \"-\" \"curl/8.0\" - hostid= - ECDHE-RSA-AES128-GCM-SHA256 - mybucket.s3.amazonaws.com TLSv1.2 - - us-east-1";

    private static string Lines(int from, int count) => string.Concat(Enumerable.Range(from, count).Select(n => Line(n) + "\n"));

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static Task<IngestSummary> Ingest(LogWarehouse warehouse, string source, IngestOptions? options = null) =>
        new LogIngestor(warehouse, options).IngestAsync(DirectoryLogSource.Enumerate(source));

    [Fact]
    public async Task Ingesting_the_same_directory_twice_loads_each_object_once()
    {
        _files.Write("logs/a", Lines(0, 5));
        _files.Write("logs/b", Lines(5, 3));
        using var warehouse = LogWarehouse.OpenInMemory();
        var first = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        var second = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        Assert.Equal((2, 0, 8L), (first.FilesLoaded, first.FilesSkipped, first.LinesLoaded));
        Assert.Equal((0, 2, 0L), (second.FilesLoaded, second.FilesSkipped, second.LinesLoaded));
        Assert.Equal(8, warehouse.Count("SELECT count(*) FROM access_logs"));
        Assert.Equal(8, warehouse.Count("SELECT count(DISTINCT requestid) FROM access_logs"));
        Assert.Equal("read 0 lines, loaded 0, rejected 0 from 0 files (2 skipped, already loaded)", second.ToString());
    }

    [Fact]
    public async Task A_warehouse_file_remembers_loaded_objects_across_opens()
    {
        _files.Write("logs/a", Lines(0, 4));
        var path = Path.Combine(_files.Directory, "data", "analytics", "warehouse.duckdb");
        using (var warehouse = LogWarehouse.Open(path))
        {
            Assert.Equal(4, (await Ingest(warehouse, Path.Combine(_files.Directory, "logs"))).LinesLoaded);
        }

        using (var warehouse = LogWarehouse.Open(path))
        {
            var again = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
            Assert.Equal((0L, 1), (again.LinesLoaded, again.FilesSkipped));
            Assert.Equal(4, warehouse.Count("SELECT count(*) FROM access_logs"));
        }
    }

    [Fact]
    public async Task Binary_garbage_is_rejected_line_by_line_without_a_crash()
    {
        var random = new Random(42);
        var garbage = new byte[64 * 1024];
        random.NextBytes(garbage);
        _files.WriteBytes("garbage.bin", garbage);
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "garbage.bin"));
        var newlines = garbage.Count(b => b == (byte)'\n') + (garbage[^1] == (byte)'\n' ? 0 : 1);
        Assert.Equal(newlines, summary.LinesRead);
        Assert.Equal(0, summary.LinesLoaded);
        Assert.Equal(summary.LinesRead, summary.LinesRejected);
        Assert.Equal(summary.LinesRejected, warehouse.Count("SELECT count(*) FROM rejected_lines"));
    }

    [Fact]
    public async Task A_one_megabyte_line_is_rejected_and_its_neighbours_load()
    {
        _files.Write("big", Line(1) + "\n" + new string('x', 1024 * 1024) + "\n" + Line(2) + "\n");
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "big"));
        Assert.Equal((3L, 2L, 1L), (summary.LinesRead, summary.LinesLoaded, summary.LinesRejected));
        Assert.Equal(1, warehouse.Count("SELECT count(*) FROM rejected_lines WHERE line_number = 2 AND reason LIKE 'line longer than%' AND length(line) <= 1024"));
        Assert.Equal(3, warehouse.Count("SELECT max(line_number) FROM access_logs"));
    }

    [Fact]
    public async Task An_empty_file_loads_as_zero_lines_and_is_remembered()
    {
        _files.Write("empty", string.Empty);
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "empty"));
        Assert.Equal((1, 0L), (summary.FilesLoaded, summary.LinesRead));
        Assert.Equal(1, warehouse.Count("SELECT count(*) FROM loaded_files WHERE lines_read = 0"));
    }

    [Fact]
    public async Task A_gzip_object_loads_like_the_plain_one()
    {
        _files.WriteBytes("logs/a.gz", Gzip(Lines(0, 50)));
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        Assert.Equal((50L, 0L), (summary.LinesLoaded, summary.LinesRejected));
    }

    [Fact]
    public async Task A_truncated_gzip_fails_alone_leaves_nothing_and_loads_whole_once_repaired()
    {
        var full = Gzip(Lines(100, 2000));
        _files.Write("logs/a-plain", Lines(0, 3));
        var gz = _files.WriteBytes("logs/b.gz", full[..(full.Length / 2)]);
        _files.Write("logs/c-plain", Lines(10, 2));
        using var warehouse = LogWarehouse.OpenInMemory();

        var first = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        var failure = Assert.Single(first.Failures);
        Assert.Equal(gz, failure.File);
        Assert.Contains("gzip", failure.Reason, StringComparison.Ordinal);
        Assert.Equal((2, 5L), (first.FilesLoaded, first.LinesLoaded));
        Assert.Equal(5, warehouse.Count("SELECT count(*) FROM access_logs"));
        Assert.Equal(0, warehouse.Count($"SELECT count(*) FROM loaded_files WHERE file = '{gz}'"));

        // A retry of the still-truncated file loads nothing of it again.
        var retry = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        Assert.Single(retry.Failures);
        Assert.Equal(5, warehouse.Count("SELECT count(*) FROM access_logs"));

        File.WriteAllBytes(gz, full);
        var repaired = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        Assert.Empty(repaired.Failures);
        Assert.Equal((1, 2, 2000L), (repaired.FilesLoaded, repaired.FilesSkipped, repaired.LinesLoaded));
        Assert.Equal(2005, warehouse.Count("SELECT count(*) FROM access_logs"));
        Assert.Equal(2005, warehouse.Count("SELECT count(DISTINCT requestid) FROM access_logs"));
    }

    [Fact]
    public async Task A_concatenated_multi_member_gzip_loads_the_lines_of_every_member()
    {
        // What `cat a.gz b.gz c.gz > all.gz` makes, and what log shippers that append write.
        var members = Gzip(Lines(0, 30)).Concat(Gzip(Lines(30, 1500))).Concat(Gzip(Lines(1530, 20))).ToArray();
        var path = _files.WriteBytes("logs/all.gz", members);
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        Assert.Empty(summary.Failures);
        Assert.Equal((1550L, 1550L, 0L), (summary.LinesRead, summary.LinesLoaded, summary.LinesRejected));
        Assert.Equal(1550, warehouse.Count($"SELECT count(DISTINCT requestid) FROM access_logs WHERE source_file = '{path}'"));
        Assert.Equal(1550, warehouse.Count("SELECT max(line_number) FROM access_logs"));
        Assert.Equal(1, warehouse.Count("SELECT count(*) FROM access_logs WHERE line_number = 1531 AND key = 'k1530'"));
    }

    [Theory]
    [InlineData(3)] // inside the last member's trailer (its deflate data is complete)
    [InlineData(8)] // the whole trailer missing
    [InlineData(200)] // inside the last member's deflate data
    public async Task A_multi_member_gzip_cut_short_fails_with_a_clear_reason_and_loads_nothing(int cut)
    {
        var members = Gzip(Lines(0, 30)).Concat(Gzip(Lines(30, 1500))).ToArray();
        var gz = _files.WriteBytes("logs/cut.gz", members[..^cut]);
        _files.Write("logs/plain", Lines(5000, 2));
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        var failure = Assert.Single(summary.Failures);
        Assert.Equal(gz, failure.File);
        Assert.StartsWith("truncated gzip", failure.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 2L), (summary.FilesLoaded, summary.LinesLoaded));
        Assert.Equal(0, warehouse.Count($"SELECT count(*) FROM access_logs WHERE source_file = '{gz}'"));
    }

    [Fact]
    public async Task A_gzip_with_a_damaged_member_fails_with_a_clear_reason()
    {
        var first = Gzip(Lines(0, 30));
        var members = first.Concat(Gzip(Lines(30, 40))).ToArray();
        members[first.Length - 6] ^= 0xff; // the CRC-32 in the first member's trailer
        var gz = _files.WriteBytes("logs/bad.gz", members);
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "logs"));
        var failure = Assert.Single(summary.Failures);
        Assert.Equal(gz, failure.File);
        Assert.StartsWith("corrupt gzip", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(0, warehouse.Count("SELECT count(*) FROM access_logs"));
    }

    [Fact]
    public async Task Many_tiny_files_load_across_several_commit_groups()
    {
        for (var i = 0; i < 250; i++)
        {
            _files.Write($"tiny/{i:D4}", Line(i) + "\n");
        }

        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "tiny"), new IngestOptions { BatchFiles = 64 });
        Assert.Equal((250, 250L), (summary.FilesLoaded, summary.LinesLoaded));
        Assert.Equal(250, warehouse.Count("SELECT count(*) FROM loaded_files"));
    }

    [Fact]
    public async Task A_glob_selects_matching_files_only()
    {
        _files.Write("g/2024-01-01-a", Lines(0, 2));
        _files.Write("g/2024-01-02-b", Lines(2, 3));
        _files.Write("g/other", Lines(5, 7));
        using var warehouse = LogWarehouse.OpenInMemory();
        var summary = await Ingest(warehouse, Path.Combine(_files.Directory, "g", "2024-*"));
        Assert.Equal((2, 5L), (summary.FilesLoaded, summary.LinesLoaded));
    }
}
