using System.CommandLine;
using Tally.Cli.Commands;

var root = new RootCommand("Tally: an S3-compatible object store with AWS-exact server access logging.");
foreach (var command in TallyCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
