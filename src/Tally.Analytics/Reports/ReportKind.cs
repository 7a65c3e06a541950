namespace Tally.Analytics.Reports;

/// <summary>The canned reports of <c>tally report</c>.</summary>
public enum ReportKind
{
    Security,
    Cost,
    Traffic,
}
