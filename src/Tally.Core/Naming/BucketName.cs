using System.Net;
using Tally.Core.Errors;

namespace Tally.Core.Naming;

/// <summary>AWS general-purpose bucket naming rules.</summary>
public static class BucketName
{
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-'))
            {
                return false;
            }
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return false;
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
        {
            return false;
        }

        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal) ||
            name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal))
        {
            return false;
        }

        // Not formatted as an IP address (192.168.5.4).
        return !(name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out _));
    }

    public static void Validate(string name)
    {
        if (!IsValid(name))
        {
            throw S3Exception.With(S3Errors.InvalidBucketName, null, ("BucketName", name));
        }
    }
}
