using System.Diagnostics;

namespace Tally.EndToEnd.Clients;

/// <summary>
/// The Debian client programs the end-to-end tests drive. `.ci/run` installs them; a missing one
/// fails the test under CI=true and skips it (with the reason) on a developer machine.
/// </summary>
public static class ClientTools
{
    public const string Aws = "aws";
    public const string S3cmd = "s3cmd";
    public const string Rclone = "rclone";
    public const string Boto3 = "boto3";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Package(string tool) => tool switch
    {
        Aws => "awscli",
        Boto3 => "python3-boto3",
        _ => tool,
    };

    /// <summary>The executable that runs <paramref name="tool"/>: for boto3 the python3 that can import it.</summary>
    public static string? Find(string tool) => tool == Boto3 ? FindPythonWithBoto3() : FindOnPath(tool);

    public static string Require(string tool) =>
        Find(tool) ?? throw new InvalidOperationException(
            $"{tool} is not installed: apt-get install {Package(tool)} (.ci/run installs it when run as root).");

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static string? FindPythonWithBoto3()
    {
        // Debian's python3-boto3 lives in /usr/bin/python3's dist-packages; a python3 earlier on PATH
        // (pyenv, venv) usually cannot import it.
        string?[] candidates = ["/usr/bin/python3", FindOnPath("python3")];
        return candidates.Distinct().FirstOrDefault(python => python is not null && File.Exists(python) && CanImportBoto3(python));
    }

    private static bool CanImportBoto3(string python)
    {
        var start = new ProcessStartInfo(python, ["-c", "import boto3"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start);
        if (process is null)
        {
            return false;
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            return false;
        }

        return process.ExitCode == 0;
    }
}

/// <summary>A test that needs a client program: skipped with the reason only outside CI when it is missing.</summary>
public sealed class ClientFactAttribute : FactAttribute
{
    public ClientFactAttribute(string tool)
    {
        Tool = tool;
        if (!ClientTools.InCi && ClientTools.Find(tool) is null)
        {
            Skip = $"{tool} is not installed (apt-get install {ClientTools.Package(tool)}); under CI=true this test fails instead.";
        }
    }

    public string Tool { get; }
}
