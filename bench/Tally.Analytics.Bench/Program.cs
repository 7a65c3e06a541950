using System.Diagnostics;
using System.Globalization;
using Tally.Analytics.Bench;
using Tally.Analytics.Ingest;
using Tally.Analytics.Reports;
using Tally.Analytics.Warehouse;

// Benchmark driver (bench/analytics/README.md): positional arguments only, it is run by run.sh.
//   generate DIR SIZE_MB [SEED] [FILE_MB]   deterministic corpus
//   ingest DIR DB                           Tally's ingest (library, same code as `tally logs ingest`)
//   duckdb-regex DIR DB                     DuckDB's own read_csv + Athena regex load
//   reports DB                              each report's time
var culture = CultureInfo.InvariantCulture;
switch (args.FirstOrDefault())
{
    case "generate":
        {
            var generator = new CorpusGenerator(args.Length > 3 ? int.Parse(args[3], culture) : 1);
            var sw = Stopwatch.StartNew();
            generator.Write(args[1], long.Parse(args[2], culture) * 1024 * 1024, (args.Length > 4 ? long.Parse(args[4], culture) : 64) * 1024 * 1024);
            Console.WriteLine(string.Create(culture, $"generated {generator.Lines} lines in {sw.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }

    case "ingest":
        {
            File.Delete(args[2]);
            // Tuning knobs for experiments; run.sh sets none of them (the defaults are what `tally logs ingest` does).
            var options = new WarehouseOptions
            {
                MemoryLimit = Environment.GetEnvironmentVariable("TALLY_BENCH_MEMORY") ?? "512MB",
                Threads = Environment.GetEnvironmentVariable("TALLY_BENCH_THREADS") is { } threads ? int.Parse(threads, culture) : null,
            };
            var ingestOptions = new IngestOptions
            {
                Workers = Environment.GetEnvironmentVariable("TALLY_BENCH_WORKERS") is { } workers ? int.Parse(workers, culture) : null,
            };
            using var warehouse = args[2] == ":memory:" ? LogWarehouse.OpenInMemory(options) : LogWarehouse.Open(args[2], options);
            if (Environment.GetEnvironmentVariable("TALLY_BENCH_SQL") is { } setup)
            {
                warehouse.Execute(setup);
            }

            var sw = Stopwatch.StartNew();
            var summary = await new LogIngestor(warehouse, ingestOptions).IngestAsync(DirectoryLogSource.Enumerate(args[1]));
            var seconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine(summary);
            Console.WriteLine(string.Create(culture, $"tally-ingest seconds={seconds:F2} lines={summary.LinesRead} lines_per_s={summary.LinesRead / seconds:F0} peak_rss_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
            return 0;
        }

    case "parse-only":
        {
            // Read and parse without loading: separates parser cost from DuckDB appender cost.
            var sw = Stopwatch.StartNew();
            long lines = 0, parsed = 0;
            foreach (var file in Directory.EnumerateFiles(args[1]).Order(StringComparer.Ordinal))
            {
                foreach (var line in File.ReadLines(file))
                {
                    lines++;
                    if (Tally.AccessLogs.Records.AccessLogParser.TryParseLine(line, out _, out _))
                    {
                        parsed++;
                    }
                }
            }

            Console.WriteLine(string.Create(culture, $"parse-only seconds={sw.Elapsed.TotalSeconds:F2} lines={lines} parsed={parsed} lines_per_s={lines / sw.Elapsed.TotalSeconds:F0}"));
            return 0;
        }

    case "duckdb-regex":
        {
            File.Delete(args[2]);
            using var warehouse = LogWarehouse.Open(args[2]);
            // The AWS DDL's SerDe regex (spec §7.1), HiveQL escapes removed, applied the way a DuckDB
            // CLI user would: every line as one column, regexp_extract into named groups.
            const string Regex = """([^ ]*) ([^ ]*) \[(.*?)\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) ([^ ]*)(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$""";
            string[] names = ["bucketowner", "bucket_name", "requestdatetime", "remoteip", "requester", "requestid", "operation", "key", "request_uri", "httpstatus", "errorcode", "bytessent", "objectsize", "totaltime", "turnaroundtime", "referrer", "useragent", "versionid", "hostid", "sigv", "ciphersuite", "authtype", "endpoint", "tlsversion", "accesspointarn", "aclrequired", "sourceregion"];
            var columns = string.Join(", ", names.Select(n => n is "bytessent" or "objectsize" ? $"TRY_CAST(nullif(r.{n}, '') AS BIGINT) AS {n}" : $"nullif(r.{n}, '') AS \"{n}\""));
            const string lineColumn = "columns = {'line': 'VARCHAR'}";
            var sql = $"""
            CREATE TABLE regex_logs AS
            SELECT {columns}
            FROM (SELECT regexp_extract(line, '{Regex.Replace("'", "''", StringComparison.Ordinal)}', [{string.Join(", ", names.Select(n => $"'{n}'"))}]) AS r
                  FROM read_csv('{Path.Combine(Path.GetFullPath(args[1]), "*")}', {lineColumn}, delim = '\t', quote = '', escape = '', header = false, auto_detect = false, max_line_size = 10000000))
            """;
            var sw = Stopwatch.StartNew();
            warehouse.Execute(sql);
            var seconds = sw.Elapsed.TotalSeconds;
            var rows = warehouse.Count("SELECT count(*) FROM regex_logs");
            var unmatched = warehouse.Count("SELECT count(*) FROM regex_logs WHERE bucketowner IS NULL");
            Console.WriteLine(string.Create(culture, $"duckdb-regex seconds={seconds:F2} lines={rows} unmatched={unmatched} lines_per_s={rows / seconds:F0} peak_rss_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
            return 0;
        }

    case "reports":
        {
            using var warehouse = LogWarehouse.Open(args[1]);
            Console.WriteLine(string.Create(culture, $"records={warehouse.Count("SELECT count(*) FROM access_logs")}"));
            AccessLogReports.PrepareScope(warehouse, new ReportFilter(), PriceTable.Default);
            foreach (var kind in Enum.GetValues<ReportKind>())
            {
                var total = Stopwatch.StartNew();
                foreach (var section in AccessLogReports.Sections(kind))
                {
                    var sw = Stopwatch.StartNew();
                    using var command = warehouse.CreateCommand(section.Sql);
                    using var reader = command.ExecuteReader();
                    var rows = 0;
                    while (reader.Read())
                    {
                        rows++;
                    }

                    Console.WriteLine(string.Create(culture, $"  {section.Name,-12} {sw.Elapsed.TotalMilliseconds,8:F0} ms  {rows,5} rows  {section.Title}"));
                }

                Console.WriteLine(string.Create(culture, $"report {kind.ToString().ToLowerInvariant()} seconds={total.Elapsed.TotalSeconds:F2}"));
            }

            return 0;
        }

    default:
        Console.Error.WriteLine("usage: generate DIR SIZE_MB [SEED] [FILE_MB] | ingest DIR DB | duckdb-regex DIR DB | reports DB");
        return 2;
}
