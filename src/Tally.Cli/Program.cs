using System.CommandLine;
using Spectre.Console;
using Tally.Cli.Commands;

// Piped into a file or another program there is no terminal width: keep tables' rows whole
// instead of wrapping them to 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 240;
}

var root = new RootCommand("Tally: an S3-compatible object store with AWS-exact server access logging.");
foreach (var command in TallyCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
