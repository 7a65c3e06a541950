namespace Tally.Analytics.Reports;

/// <summary>One table of a report: a title and the SQL (an embedded <c>Reports/Sql/*.sql</c> file) that fills it.</summary>
public sealed record ReportSection(string Name, string Title, string Sql);
