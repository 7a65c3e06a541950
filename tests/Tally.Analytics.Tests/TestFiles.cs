namespace Tally.Analytics.Tests;

/// <summary>Paths of the shared conformance data and a scratch directory per test.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tally-analytics-tests-").FullName;
    }

    public string Directory { get; }

    /// <summary>The folder holding Tally.slnx, found by walking up from the test binaries.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Tally.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Tally.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>shared/conformance beside the repository (shared/conformance/README.md).</summary>
    public static string Conformance(string relative) => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "conformance", relative));

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leave a scratch directory behind rather than fail a test over clean-up.
        }
    }
}
