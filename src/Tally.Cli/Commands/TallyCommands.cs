using System.CommandLine;

namespace Tally.Cli.Commands;

/// <summary>The command tree: one line per top-level command; each command lives in its own file.</summary>
internal static class TallyCommands
{
    public static IEnumerable<Command> All()
    {
        yield return ServeCommand.Create();
        yield return UsersCommand.Create();
        yield return QueryCommand.Create();
        yield return ReportCommand.Create();
        yield return LogsCommand.Create();
        yield return LoggingCommand.Create();
        yield return LifecycleCommand.Create();
    }
}
