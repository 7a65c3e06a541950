using System.CommandLine;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally logs …</c>, shared by several features. Each subcommand lives in its feature's file and
/// is added here with one line.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var logs = new Command("logs", "Server access logs: ingest into and export from the warehouse, delivery status");
        logs.Subcommands.Add(LogsAnalyticsCommands.Ingest());
        logs.Subcommands.Add(LogsAnalyticsCommands.Export());
        logs.Subcommands.Add(LogsDeliveryCommands.Flush());
        logs.Subcommands.Add(LogsDeliveryCommands.Status());
        logs.Subcommands.Add(LogsDeliveryCommands.Tail());
        return logs;
    }
}
