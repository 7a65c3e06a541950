using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tally.Storage.Disk;

/// <summary>
/// Durable file steps shared by the store, the access-log spool and the lifecycle progress: the
/// two POSIX calls the BCL does not expose — fsync of a directory (makes a new directory entry
/// durable) and link (gives a file a second name, so the staging name can stay behind as a record
/// of an in-flight write until its metadata is committed) — and the atomic replace of a small file.
/// </summary>
public static partial class DurableFiles
{
    internal const int ReadOnly = 0;

    private const int Eintr = 4;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> in one step that survives a crash: write, fsync, rename, fsync the directory.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(path)!);
    }

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

    /// <summary>
    /// Copies all of <paramref name="source"/> into <paramref name="destination"/> at
    /// <paramref name="destinationOffset"/> inside the kernel with copy_file_range(2): no trip
    /// through user space, and a reflink on file systems that share extents. Explicit offsets, so
    /// neither handle's file position moves. Returns the bytes copied, or null when the kernel or
    /// the file system cannot (nothing was copied then; the caller copies itself).
    /// </summary>
    public static long? TryCopyInKernel(SafeFileHandle source, SafeFileHandle destination, long destinationOffset)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var addedSource = false;
        var addedDestination = false;
        try
        {
            source.DangerousAddRef(ref addedSource);
            destination.DangerousAddRef(ref addedDestination);
            var fdIn = (int)source.DangerousGetHandle();
            var fdOut = (int)destination.DangerousGetHandle();
            var sourceOffset = 0L;
            var targetOffset = destinationOffset;
            while (true)
            {
                var n = CopyFileRange(fdIn, ref sourceOffset, fdOut, ref targetOffset, 1 << 30, 0);
                if (n > 0)
                {
                    continue;
                }

                if (n == 0)
                {
                    return sourceOffset;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                // ENOSYS, EXDEV, EINVAL, EOPNOTSUPP…: only before anything was copied can the caller start over.
                return sourceOffset == 0 ? null : throw new IOException($"copy_file_range failed after {sourceOffset} bytes: errno {errno}");
            }
        }
        finally
        {
            if (addedSource)
            {
                source.DangerousRelease();
            }

            if (addedDestination)
            {
                destination.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(int fdIn, ref long offIn, int fdOut, ref long offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LinkNative(string existing, string newPath);
}
