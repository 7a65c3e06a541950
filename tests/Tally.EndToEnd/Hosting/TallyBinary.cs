using System.Diagnostics;

namespace Tally.EndToEnd.Hosting;

/// <summary>Where the <c>tally</c> program is: TALLY_E2E_BINARY (a published tally or tally.dll), else the build output.</summary>
internal static class TallyBinary
{
    public const string OverrideVariable = "TALLY_E2E_BINARY";

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var path = Locate();
        ProcessStartInfo start;
        if (path.EndsWith(".dll", StringComparison.Ordinal))
        {
            // DOTNET_HOST_PATH is set by `dotnet test` to the muxer that runs the tests: same runtime.
            start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            start.ArgumentList.Add(path);
        }
        else
        {
            start = new ProcessStartInfo(path);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.UseShellExecute = false;
        return start;
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new FileNotFoundException($"{OverrideVariable} names {configured}, which does not exist.");
        }

        var built = Path.Combine(AppContext.BaseDirectory, "tally.dll");
        return File.Exists(built)
            ? built
            : throw new FileNotFoundException($"tally.dll is not beside the tests ({AppContext.BaseDirectory}); build tests/Tally.EndToEnd or set {OverrideVariable}.");
    }
}
