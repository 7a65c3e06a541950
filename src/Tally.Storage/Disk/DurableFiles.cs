using System.Runtime.InteropServices;

namespace Tally.Storage.Disk;

/// <summary>
/// The two POSIX calls the BCL does not expose: fsync of a directory (makes a new directory entry
/// durable) and link (gives a file a second name, so the staging name can stay behind as a record
/// of an in-flight write until its metadata is committed).
/// </summary>
internal static partial class DurableFiles
{
    internal const int ReadOnly = 0;

    public static void SyncDirectory(string directory)
    {
        // Windows has no directory fsync; NTFS journals metadata operations itself.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"open({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    public static void Link(string existing, string newPath)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Copy(existing, newPath);
            return;
        }

        if (LinkNative(existing, newPath) != 0)
        {
            throw new IOException($"link({existing}, {newPath}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Deletes a file if it exists; a failure is left for the cleanup on the next open.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LinkNative(string existing, string newPath);
}
