using System.Globalization;
using System.IO.Enumeration;

namespace Tally.Analytics.Ingest;

/// <summary>
/// Log objects on the local file system: a file, a directory (recursively) or a glob such as
/// <c>logs/2024-*</c> or <c>logs/*.gz</c> (<c>*</c> and <c>?</c>; <c>*</c> also crosses <c>/</c>).
/// Files are enumerated lazily in ordinal path order per directory, so millions of files cost no
/// more memory than one directory listing.
/// </summary>
public static class DirectoryLogSource
{
    public static IEnumerable<LogObject> Enumerate(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (File.Exists(source))
        {
            return [FromFile(new FileInfo(source))];
        }

        if (Directory.Exists(source))
        {
            return Walk(new DirectoryInfo(source), _ => true);
        }

        var wildcard = source.IndexOfAny(['*', '?']);
        if (wildcard < 0)
        {
            throw new FileNotFoundException($"No such file or directory: {source}", source);
        }

        var separator = source.LastIndexOfAny(['/', Path.DirectorySeparatorChar], wildcard);
        var root = separator < 0 ? "." : source[..(separator + 1)];
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"No such directory: {root}");
        }

        var rootFull = Path.GetFullPath(root);
        var pattern = Path.GetFullPath(source.Replace('*', '\u0001').Replace('?', '\u0002'))
            .Replace('\u0001', '*').Replace('\u0002', '?');
        return Walk(new DirectoryInfo(rootFull), file => FileSystemName.MatchesSimpleExpression(pattern, file.FullName, ignoreCase: false));
    }

    private static IEnumerable<LogObject> Walk(DirectoryInfo root, Func<FileInfo, bool> include)
    {
        var pending = new Stack<DirectoryInfo>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var file in directory.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                if (include(file))
                {
                    yield return FromFile(file);
                }
            }

            foreach (var child in directory.EnumerateDirectories().OrderByDescending(d => d.Name, StringComparer.Ordinal))
            {
                pending.Push(child);
            }
        }
    }

    private static LogObject FromFile(FileInfo file)
    {
        var path = file.FullName;
        return new LogObject(
            path,
            file.Length,
            file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan)));
    }
}
