using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;

namespace Tally.Server.Operations.Objects;

/// <summary>The Tagging document shared by Get/PutObjectTagging.</summary>
public static class ObjectTagging
{
    public static XElement ToXml(IReadOnlyDictionary<string, string> tags) =>
        new(S3Xml.N("Tagging"), new XElement(S3Xml.N("TagSet"),
            tags.Select(t => new XElement(S3Xml.N("Tag"), new XElement(S3Xml.N("Key"), t.Key), new XElement(S3Xml.N("Value"), t.Value)))));

    public static IReadOnlyDictionary<string, string> FromXml(XElement root)
    {
        var tagSet = root.Child("TagSet") ?? throw new S3Exception(S3Errors.MalformedXML);
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tagSet.Children("Tag"))
        {
            var key = tag.ChildValue("Key") ?? throw new S3Exception(S3Errors.MalformedXML);
            if (!tags.TryAdd(key, tag.ChildValue("Value") ?? string.Empty))
            {
                throw new S3Exception(S3Errors.InvalidTag, "Cannot provide multiple Tags with the same key");
            }
        }

        ObjectTags.Validate(tags);
        return tags;
    }

    public static async Task<IReadOnlyDictionary<string, string>> ReadRequestAsync(S3RequestContext context)
    {
        var body = await RequestBody.ReadAllAsync(context, S3Xml.MaxRequestBytes);
        return FromXml(S3Xml.ParseRequest(body, "Tagging"));
    }
}
