namespace Tally.Storage.Disk;

/// <summary>
/// The on-disk layout under one data directory. Only identifiers the store generated itself
/// (random file ids, validated upload ids) ever become path segments; object keys never do.
/// </summary>
internal sealed class DataPaths
{
    public DataPaths(string root)
    {
        Root = Path.GetFullPath(root);
        Meta = Path.Combine(Root, "meta");
        Catalog = Path.Combine(Meta, "catalog.db");
        Objects = Path.Combine(Root, "objects");
        Tmp = Path.Combine(Root, "tmp");
        Uploads = Path.Combine(Root, "uploads");
    }

    public string Root { get; }

    public string Meta { get; }

    public string Catalog { get; }

    public string Objects { get; }

    public string Tmp { get; }

    public string Uploads { get; }

    /// <summary>Data files are spread over 256 directories by the first two hex digits of their id.</summary>
    public string ObjectDirectory(string fileId) => Path.Combine(Objects, fileId[..2]);

    public string ObjectFile(string fileId) => Path.Combine(Objects, fileId[..2], fileId);

    public string TmpFile(string fileId) => Path.Combine(Tmp, fileId);

    public string UploadDirectory(string uploadId) => Path.Combine(Uploads, uploadId);

    public string PartFile(string uploadId, int partNumber, string fileId) =>
        Path.Combine(Uploads, uploadId, PartFileName(partNumber, fileId));

    public static string PartFileName(int partNumber, string fileId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{partNumber}.{fileId}");

    /// <summary>Creates the directory tree (and the 256 object directories) and makes it durable.</summary>
    public void Create()
    {
        foreach (var dir in new[] { Root, Meta, Objects, Tmp, Uploads })
        {
            Directory.CreateDirectory(dir);
        }

        for (var i = 0; i < 256; i++)
        {
            Directory.CreateDirectory(Path.Combine(Objects, i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        DurableFiles.SyncDirectory(Objects);
        DurableFiles.SyncDirectory(Root);
    }
}
