using System.Globalization;
using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Buckets;

/// <summary>The query parameters ListObjects v1 and v2 share, and the parts of their answers that are the same.</summary>
public sealed record ListingRequest(string Prefix, string? Delimiter, int MaxKeys, bool UrlEncoded)
{
    public const int MaxKeysLimit = 1000;

    public static ListingRequest From(S3RequestContext context)
    {
        var maxKeys = MaxKeysLimit;
        var raw = context.Query("max-keys");
        if (raw is not null)
        {
            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys))
            {
                // Huge values are clamped like AWS; anything not a non-negative integer is rejected.
                maxKeys = raw.Length > 0 && raw.All(char.IsAsciiDigit)
                    ? MaxKeysLimit
                    : throw S3Exception.With(S3Errors.InvalidArgument, "Provided max-keys not an integer or within integer range", ("ArgumentName", "max-keys"), ("ArgumentValue", raw));
            }

            maxKeys = Math.Min(maxKeys, MaxKeysLimit);
        }

        var encoding = context.Query("encoding-type");
        if (encoding is not null && encoding != "url")
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Invalid Encoding Method specified in Request", ("ArgumentName", "encoding-type"), ("ArgumentValue", encoding));
        }

        var delimiter = context.Query("delimiter");
        return new ListingRequest(context.Query("prefix") ?? string.Empty, string.IsNullOrEmpty(delimiter) ? null : delimiter, maxKeys, encoding is not null);
    }

    /// <summary>encoding-type=url: percent-encode like AWS (keeping '/'), so '+' and spaces survive unquote_plus.</summary>
    public string Encode(string value) => UrlEncoded ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;

    public XElement Element(string name, string? value) => new(S3Xml.N(name), value is null ? string.Empty : Encode(value));

    public IEnumerable<XElement> Contents(ListObjectsPage page, bool withOwner) =>
        page.Objects.Select(o => new XElement(S3Xml.N("Contents"),
            Element("Key", o.Key),
            new XElement(S3Xml.N("LastModified"), S3Xml.Timestamp(o.LastModified)),
            new XElement(S3Xml.N("ETag"), o.ETag),
            o.Checksums.Count > 0 ? o.Checksums.Keys.Select(a => new XElement(S3Xml.N("ChecksumAlgorithm"), a)) : null,
            new XElement(S3Xml.N("Size"), o.Size),
            withOwner ? S3Responses.Owner(o.OwnerCanonicalId) : null,
            new XElement(S3Xml.N("StorageClass"), o.StorageClass)));

    public IEnumerable<XElement> CommonPrefixes(ListObjectsPage page) =>
        page.CommonPrefixes.Select(p => new XElement(S3Xml.N("CommonPrefixes"), Element("Prefix", p)));

    public IEnumerable<XElement> Common()
    {
        if (Delimiter is not null)
        {
            yield return Element("Delimiter", Delimiter);
        }

        if (UrlEncoded)
        {
            yield return new XElement(S3Xml.N("EncodingType"), "url");
        }
    }
}
