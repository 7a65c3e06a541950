using System.CommandLine;
using System.Globalization;

namespace Tally.Cli.Commands;

/// <summary>Options several commands share, so they are spelled the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() =>
        new("--data") { HelpName = "DIR", Description = "Data directory (objects, metadata, spool, warehouse)", DefaultValueFactory = _ => "./data" };

    /// <summary>A whole number of days, written <c>30d</c> or <c>30</c>.</summary>
    public static Option<int?> Days(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "DAYS",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                var digits = text.EndsWith('d') ? text[..^1] : text;
                if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1)
                {
                    return days;
                }

                result.AddError($"{name} expects a number of days, like 30d or 30 (got '{text}').");
                return null;
            },
        };
}
