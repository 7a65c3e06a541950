using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;

namespace Tally.Security.Policies;

/// <summary>
/// A bucket's PublicAccessBlockConfiguration (access-control-block-public-access.html). Pure data
/// with its XML form; <see cref="None"/> (nothing blocked) when a bucket has no configuration.
/// </summary>
public sealed record PublicAccessBlock(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets)
{
    public static PublicAccessBlock None { get; } = new(false, false, false, false);

    public static PublicAccessBlock All { get; } = new(true, true, true, true);

    /// <summary>Reads a PublicAccessBlockConfiguration body; a missing element is false, a value other than true/false is MalformedXML.</summary>
    public static PublicAccessBlock FromXml(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Name.LocalName != "PublicAccessBlockConfiguration")
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        return new PublicAccessBlock(Flag(root, "BlockPublicAcls"), Flag(root, "IgnorePublicAcls"), Flag(root, "BlockPublicPolicy"), Flag(root, "RestrictPublicBuckets"));
    }

    public XElement ToXml() => new(
        S3Xml.N("PublicAccessBlockConfiguration"),
        new XElement(S3Xml.N("BlockPublicAcls"), Text(BlockPublicAcls)),
        new XElement(S3Xml.N("IgnorePublicAcls"), Text(IgnorePublicAcls)),
        new XElement(S3Xml.N("BlockPublicPolicy"), Text(BlockPublicPolicy)),
        new XElement(S3Xml.N("RestrictPublicBuckets"), Text(RestrictPublicBuckets)));

    /// <summary>The stored form.</summary>
    public string Serialize() => ToXml().ToString(SaveOptions.DisableFormatting);

    public static PublicAccessBlock Deserialize(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return FromXml(XElement.Parse(document));
    }

    private static string Text(bool value) => value ? "true" : "false";

    private static bool Flag(XElement root, string name) => root.ChildValue(name)?.Trim() switch
    {
        null => false,
        "true" or "TRUE" or "True" => true,
        "false" or "FALSE" or "False" => false,
        _ => throw new S3Exception(S3Errors.MalformedXML),
    };
}
