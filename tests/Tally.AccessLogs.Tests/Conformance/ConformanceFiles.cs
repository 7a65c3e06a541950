namespace Tally.AccessLogs.Tests.Conformance;

/// <summary>
/// The shared conformance folder (real and published AWS lines with known parses), read in place:
/// it sits next to the repository, at <c>../shared/conformance</c> from the folder holding Tally.slnx.
/// </summary>
internal static class ConformanceFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    public static string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The file's lines (split on \n only, so a trailing space or CR stays on its line).</summary>
    public static string[] ReadLines(string relative)
    {
        var text = ReadText(relative);
        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>Every line of every log file that AWS (or its documentation) wrote and that must parse.</summary>
    public static IEnumerable<(string File, int Number, string Line)> AcceptedLines()
    {
        string[] files =
        [
            "ncbi-logging/aws_testlines.log",
            "ncbi-logging/expected/aws_rev_testlines/out.good.aws",
            "awsdocs-s3-userguide/LogFormat-examples.log",
            "awsdocs-s3-userguide/current-docs-27field-example.log",
            "otel-collector-contrib/valid_s3_access_log.log",
            "otel-collector-contrib/too_many_values.log",
            "otel-collector-contrib/unknown_request_uri.log",
            "logstash-patterns-core/s3_access_log.log",
        ];
        foreach (var file in files)
        {
            var lines = ReadLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                yield return (file, i + 1, lines[i]);
            }
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; dir is not null && depth < 32; depth++, dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tally.slnx")))
            {
                var root = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance"));
                return Directory.Exists(root)
                    ? root
                    : throw new DirectoryNotFoundException($"Conformance data not found at {root}.");
            }
        }

        throw new DirectoryNotFoundException($"Tally.slnx not found above {AppContext.BaseDirectory}.");
    }
}
