using System.CommandLine;
using System.Globalization;
using Tally.Cli.Output;

namespace Tally.Cli.Commands;

/// <summary>Options of the analytics commands (query, report, logs ingest/export), spelled once.</summary>
internal static class AnalyticsOptions
{
    public static Option<string?> Source() =>
        new("--source") { Description = "Log objects to read: a file, a directory, a glob, or s3://bucket/prefix (plain or gzip)" };

    public static Option<string?> Endpoint() =>
        new("--endpoint") { HelpName = "URL", Description = "S3 endpoint URL for an s3:// source (e.g. http://127.0.0.1:9000); credentials as the aws CLI finds them" };

    public static Option<OutputFormat> Format() =>
        new("--format") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => OutputFormat.Table };

    public static Option<int> MaxRows() =>
        new("--max-rows") { Description = "Rows shown in table format", DefaultValueFactory = _ => 1000 };

    public static Option<string> MemoryLimit() =>
        new("--memory-limit") { Description = "DuckDB memory limit; DuckDB spills to disk past it", DefaultValueFactory = _ => "512MB" };

    /// <summary>An absolute time (2024-01-29, 2024-01-29T10:00:00Z; UTC unless a zone is given) or an age before now (90m, 24h, 7d).</summary>
    public static DateTimeOffset? ParseTime(string? text, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var unit = text[^1];
        if (unit is 'm' or 'h' or 'd' && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            var age = unit switch { 'm' => TimeSpan.FromMinutes(amount), 'h' => TimeSpan.FromHours(amount), _ => TimeSpan.FromDays(amount) };
            return time.GetUtcNow() - age;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        throw new FormatException($"'{text}' is not a time (2024-01-29, 2024-01-29T10:00:00Z) or an age (90m, 24h, 7d).");
    }
}
