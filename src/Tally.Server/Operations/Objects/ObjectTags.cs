using Tally.Core.Errors;

namespace Tally.Server.Operations.Objects;

/// <summary>AWS's object tag limits: at most 10 tags, keys ≤ 128 and values ≤ 256 characters.</summary>
public static class ObjectTags
{
    public static void Validate(IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count > 10)
        {
            throw new S3Exception(S3Errors.InvalidTag, "Object tags cannot be greater than 10");
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128)
            {
                throw new S3Exception(S3Errors.InvalidTag, "The TagKey you have provided is invalid");
            }

            if (value.Length > 256)
            {
                throw new S3Exception(S3Errors.InvalidTag, "The TagValue you have provided is invalid");
            }
        }
    }
}
