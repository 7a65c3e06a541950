namespace Tally.Security.Tests.Payloads;

internal static class BodyReading
{
    /// <summary>Reads a stream to its end in odd-sized pieces, so chunk and line boundaries fall mid-read.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, int pieceSize = 7, bool synchronous = false)
    {
        using var output = new MemoryStream();
        var buffer = new byte[pieceSize];
        for (var guard = 0; guard < 10_000_000; guard++)
        {
            var read = synchronous ? stream.Read(buffer, 0, buffer.Length) : await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return output.ToArray();
            }

            output.Write(buffer, 0, read);
        }

        throw new InvalidOperationException("The stream did not end.");
    }
}
