using System.Globalization;

namespace Tally.Analytics.Ingest;

/// <summary>What one log object contributed to a segment.</summary>
internal sealed record StagedObject(LogObject Object, long LinesRead, long LinesLoaded, long LinesRejected);

/// <summary>
/// The staging files of one commit group: the <c>access_logs</c> rows and the <c>rejected_lines</c>
/// rows of several log objects, written by one ingest worker and then loaded by DuckDB in one
/// transaction. An object that fails half-way is cut out again (<see cref="Mark"/>,
/// <see cref="Rollback"/>), so a segment only ever holds whole objects.
/// </summary>
internal sealed class StagingSegment : IDisposable
{
    private readonly List<StagedObject> _objects = [];
    private bool _closed;

    public StagingSegment(string directory, int id)
    {
        var name = id.ToString("D6", CultureInfo.InvariantCulture);
        Rows = new StagingWriter(Path.Combine(directory, name + ".rows.tsv"));
        Rejects = new StagingWriter(Path.Combine(directory, name + ".rejects.tsv"));
    }

    public StagingWriter Rows { get; }

    public StagingWriter Rejects { get; }

    public IReadOnlyList<StagedObject> Objects => _objects;

    /// <summary>Size of the staged log objects (as stored, so compressed for gzip).</summary>
    public long InputBytes { get; private set; }

    public long RowCount { get; private set; }

    public long RejectCount { get; private set; }

    public (long Rows, long Rejects) Mark() => (Rows.Length, Rejects.Length);

    public void Rollback((long Rows, long Rejects) mark)
    {
        Rows.Truncate(mark.Rows);
        Rejects.Truncate(mark.Rejects);
    }

    public void Add(StagedObject staged)
    {
        _objects.Add(staged);
        InputBytes += staged.Object.Size;
        RowCount += staged.LinesLoaded;
        RejectCount += staged.LinesRejected;
    }

    /// <summary>Writes out what is buffered and closes the files, so DuckDB can read them.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        Rows.Flush();
        Rejects.Flush();
        Rows.Dispose();
        Rejects.Dispose();
    }

    public void Dispose()
    {
        Rows.Dispose();
        Rejects.Dispose();
        foreach (var path in new[] { Rows.Path, Rejects.Path })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // The ingest removes its whole staging directory at the end.
            }
        }
    }
}
