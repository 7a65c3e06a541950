namespace Tally.Cli.Output;

/// <summary>How query and report results are printed.</summary>
internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}
