using System.Globalization;

namespace Tally.Analytics.Reports;

/// <summary>
/// Prices for the cost report, in USD. Defaults: Amazon S3 Standard in us-east-1 — $0.005 per
/// 1,000 PUT/COPY/POST/LIST requests, $0.0004 per 1,000 GET and other requests, DELETE/CANCEL free,
/// $0.09 per GB transferred out to the internet (first 10 TB tier).
/// </summary>
public sealed record PriceTable(decimal PutCopyPostListPer1000 = 0.005m, decimal GetAndOtherPer1000 = 0.0004m, decimal EgressPerGb = 0.09m)
{
    public static PriceTable Default { get; } = new();

    /// <summary>Parses <c>put=0.005,get=0.0004,egress=0.09</c>; omitted names keep their default.</summary>
    /// <exception cref="FormatException">An unknown name or a value that is not a non-negative number.</exception>
    public static PriceTable Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var table = Default;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                throw new FormatException($"Price '{item}' is not name=number (names: put, get, egress).");
            }

            table = parts[0] switch
            {
                "put" => table with { PutCopyPostListPer1000 = value },
                "get" => table with { GetAndOtherPer1000 = value },
                "egress" => table with { EgressPerGb = value },
                _ => throw new FormatException($"Unknown price '{parts[0]}' (names: put, get, egress)."),
            };
        }

        return table;
    }
}
