using System.Diagnostics;

namespace Tally.EndToEnd.Clients;

/// <summary>Runs one client command to completion, never longer than its timeout.</summary>
public static class CliProcess
{
    public static async Task<CliResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string workingDirectory,
        TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var commandLine = string.Join(' ', start.ArgumentList.Prepend(fileName).Select(Quote));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {commandLine}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"timed out after {timeout.TotalSeconds} s: {new CliResult(commandLine, -1, await stdout, await stderr)}");
        }

        return new CliResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : $"'{argument}'";
}
