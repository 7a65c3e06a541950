using System.Diagnostics;
using Tally.Analytics.Warehouse;

namespace Tally.Analytics.Tests.Warehouse;

/// <summary>
/// DuckDB lets one process write a database file (or several read it). Another process holding
/// the file is played by python3 taking the same POSIX record lock DuckDB takes.
/// </summary>
public sealed class WarehouseLockTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static Process? HoldLock(string path, double seconds)
    {
        ProcessStartInfo start;
        try
        {
            start = new ProcessStartInfo("python3", ["-c", $"import fcntl,sys,time\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('locked',flush=True)\ntime.sleep({seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)})", path])
            {
                RedirectStandardOutput = true,
            };
            var process = Process.Start(start)!;
            Assert.Equal("locked", process.StandardOutput.ReadLine());
            return process;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private string NewWarehouse()
    {
        var path = Path.Combine(_files.Directory, "warehouse.duckdb");
        LogWarehouse.Open(path).Dispose();
        return path;
    }

    [Fact]
    public void Opening_a_file_another_process_holds_fails_with_a_clear_message_after_the_wait()
    {
        var path = NewWarehouse();
        using var holder = HoldLock(path, 30);
        if (holder is null)
        {
            return; // python3 is not installed: nothing can hold the lock from outside.
        }

        try
        {
            var waited = Stopwatch.StartNew();
            var error = Assert.Throws<WarehouseBusyException>(() => LogWarehouse.OpenReadOnly(path, new WarehouseOptions { LockWait = TimeSpan.FromMilliseconds(600) }));
            Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(600), waited.Elapsed.ToString());
            Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
            Assert.Contains("tally serve", error.Message, StringComparison.Ordinal);
            Assert.Throws<WarehouseBusyException>(() => LogWarehouse.Open(path, new WarehouseOptions { LockWait = TimeSpan.Zero }));
        }
        finally
        {
            holder.Kill();
        }
    }

    [Fact]
    public void Opening_waits_for_a_holder_that_lets_go_within_the_wait()
    {
        var path = NewWarehouse();
        using var holder = HoldLock(path, 1);
        if (holder is null)
        {
            return;
        }

        using var warehouse = LogWarehouse.OpenReadOnly(path, new WarehouseOptions { LockWait = TimeSpan.FromSeconds(30) });
        Assert.Equal(0, warehouse.Count("SELECT count(*) FROM access_logs"));
    }

    [Fact]
    public void A_read_only_warehouse_runs_the_Athena_functions_and_refuses_writes()
    {
        var path = NewWarehouse();
        using var warehouse = LogWarehouse.OpenReadOnly(path);
        Assert.Equal("2019-02-06", warehouse.Scalar("SELECT strftime(parse_datetime('06/Feb/2019:00:00:38 +0000', 'dd/MMM/yyyy:HH:mm:ss Z'), '%Y-%m-%d')"));
        Assert.Throws<DuckDB.NET.Data.DuckDBException>(() => warehouse.Execute("DELETE FROM access_logs"));
    }
}
