using System.CommandLine;

namespace Tally.Cli.Commands;

/// <summary>Options several commands share, so they are spelled the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() =>
        new("--data") { Description = "Data directory (objects, metadata, spool, warehouse)", DefaultValueFactory = _ => "./data" };
}
