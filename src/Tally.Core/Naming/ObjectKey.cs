using System.Text;
using Tally.Core.Errors;

namespace Tally.Core.Naming;

/// <summary>Object key rules: 1..1024 UTF-8 bytes, valid UTF-16 (no lone surrogates).</summary>
public static class ObjectKey
{
    public const int MaxBytes = 1024;

    public static void Validate(string key)
    {
        if (key.Length == 0)
        {
            throw new S3Exception(S3Errors.InvalidArgument, "The key must not be empty.");
        }

        int bytes;
        try
        {
            bytes = new UTF8Encoding(false, true).GetByteCount(key);
        }
        catch (ArgumentException)
        {
            throw new S3Exception(S3Errors.InvalidURI);
        }

        if (bytes > MaxBytes)
        {
            throw S3Exception.With(S3Errors.KeyTooLongError, null, ("Size", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("MaxSizeAllowed", "1024"));
        }
    }
}
