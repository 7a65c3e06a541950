using Spectre.Console;
using Tally.Analytics.Ingest;

namespace Tally.Cli.Output;

/// <summary>A Spectre progress bar on stderr for <c>logs ingest</c> and <c>query --source</c>; silent when stderr is not a terminal.</summary>
internal static class IngestProgressBar
{
    public static async Task<IngestSummary> RunAsync(long totalBytes, Func<IProgress<IngestProgress>?, Task<IngestSummary>> ingest)
    {
        if (Console.IsErrorRedirected)
        {
            return await ingest(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        IngestSummary? summary = null;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("ingest", maxValue: Math.Max(1, totalBytes));
                var progress = new Progress<IngestProgress>(p =>
                {
                    task.Value = Math.Min(p.BytesDone, task.MaxValue);
                    task.Description = $"ingest: {p.FilesDone} files, {p.LinesRead:N0} lines";
                });
                summary = await ingest(progress);
                task.Value = task.MaxValue;
            });
        return summary!;
    }
}
