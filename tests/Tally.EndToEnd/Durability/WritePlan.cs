using System.Security.Cryptography;
using System.Text;

namespace Tally.EndToEnd.Durability;

/// <summary>
/// One PUT of the crash test. Its bytes are a pure function of (key, writer), so after the crash
/// any object read back can be checked against every write that could have produced it.
/// </summary>
public sealed record PlannedWrite(string Key, int Writer)
{
    private static readonly int MinSize = 1024;
    private static readonly int MaxSize = 1024 * 1024;

    public int Seed => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{Key}#{Writer}")));

    public byte[] Content()
    {
        var random = new Random(Seed);
        // Log-uniform sizes between 1 KiB and 1 MiB: mostly small objects, some large ones.
        var size = (int)Math.Round(MinSize * Math.Pow((double)MaxSize / MinSize, random.NextDouble()));
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }
}

public static class WritePlan
{
    /// <summary>
    /// Every worker writes its own keys; every fifth write goes to one of a few shared keys instead,
    /// so concurrent PUTs of one key race (S3: one whole winner).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<PlannedWrite>> For(int workers, int writesPerWorker, int sharedKeys) =>
        [.. Enumerable.Range(0, workers).Select(worker => (IReadOnlyList<PlannedWrite>)[.. Enumerable.Range(0, writesPerWorker).Select(i =>
            i % 5 == 4
                ? new PlannedWrite($"shared/key-{(worker + i) % sharedKeys:D2}", worker)
                : new PlannedWrite($"worker-{worker:D2}/object-{i:D3}", worker))])];
}
