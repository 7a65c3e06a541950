namespace Tally.Analytics.Reports;

/// <summary>Which records a report covers: event time in [Since, Until) and one source bucket, each optional.</summary>
public sealed record ReportFilter(DateTimeOffset? Since = null, DateTimeOffset? Until = null, string? Bucket = null);
