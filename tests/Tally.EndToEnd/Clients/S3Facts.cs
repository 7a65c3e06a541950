using System.Security.Cryptography;

namespace Tally.EndToEnd.Clients;

/// <summary>What Amazon S3 answers for given bytes, computed independently of the server.</summary>
public static class S3Facts
{
    /// <summary>A single-part object's ETag: the quoted hex MD5 of its bytes.</summary>
    public static string ETag(ReadOnlySpan<byte> content) => $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";

    /// <summary>A multipart object's ETag: MD5 of the parts' binary MD5s, then "-" and the part count.</summary>
    public static string MultipartETag(byte[] content, int partSize)
    {
        var digests = new List<byte>();
        var parts = 0;
        for (var offset = 0; offset < content.Length; offset += partSize)
        {
            digests.AddRange(MD5.HashData(content.AsSpan(offset, Math.Min(partSize, content.Length - offset))));
            parts++;
        }

        return $"\"{Convert.ToHexStringLower(MD5.HashData(digests.ToArray()))}-{parts}\"";
    }
}
