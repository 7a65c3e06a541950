using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Tally.Core.Errors;

namespace Tally.S3.Xml;

/// <summary>Reading and writing S3 XML documents (namespace, dates, safe parsing).</summary>
public static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>Largest request document we read (S3's own limits are of this order).</summary>
    public const int MaxRequestBytes = 2 * 1024 * 1024;

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxRequestBytes,
        IgnoreComments = true,
    };

    /// <summary>An element in the S3 namespace.</summary>
    public static XName N(string localName) => Ns + localName;

    /// <summary>Parses a request body; anything malformed (or not rooted at <paramref name="rootName"/>) is MalformedXML.</summary>
    public static XElement ParseRequest(ReadOnlySpan<byte> body, string rootName)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, ReaderSettings);
            document = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != rootName)
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        return root;
    }

    /// <summary>Child elements by local name, ignoring the namespace (AWS's docs print two different ones).</summary>
    public static IEnumerable<XElement> Children(this XElement element, string localName) =>
        element.Elements().Where(e => e.Name.LocalName == localName);

    public static XElement? Child(this XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static string? ChildValue(this XElement element, string localName) => element.Child(localName)?.Value;

    /// <summary>ISO 8601 with milliseconds, as S3 writes LastModified in listings.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A complete response document as UTF-8 bytes with the XML declaration.</summary>
    public static byte[] ToBytes(XElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = false }))
        {
            new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Save(writer);
        }

        return buffer.ToArray();
    }
}
