namespace Tally.EndToEnd.Clients;

/// <summary>What one client process did: its command line, exit code and both output streams.</summary>
public sealed record CliResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public CliResult ShouldSucceed()
    {
        Assert.True(ExitCode == 0, $"expected success from: {this}");
        return this;
    }

    public CliResult ShouldFail()
    {
        Assert.True(ExitCode != 0, $"expected a failure from: {this}");
        return this;
    }

    public override string ToString() =>
        $"{CommandLine}\n  exit code: {ExitCode}\n  stdout:\n{Indent(StandardOutput)}\n  stderr:\n{Indent(StandardError)}";

    private static string Indent(string text) =>
        string.Join('\n', text.TrimEnd().Split('\n').TakeLast(60).Select(line => "    " + line));
}
