using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Server.Operations.Buckets;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Versioning;

/// <summary>GET /bucket?versions: every version and delete marker, key order, newest first within a key.</summary>
public static class ListObjectVersions
{
    public static async Task HandleAsync(S3RequestContext context)
    {
        var listing = ListingRequest.From(context);
        var keyMarker = NullIfEmpty(context.Query("key-marker"));
        var versionIdMarker = NullIfEmpty(context.Query("version-id-marker"));
        if (versionIdMarker is not null && keyMarker is null)
        {
            throw S3Exception.With(
                S3Errors.InvalidArgument,
                "A version-id marker cannot be specified without a key marker.",
                ("ArgumentName", "version-id-marker"),
                ("ArgumentValue", versionIdMarker));
        }

        var page = await context.Store.ListObjectVersionsAsync(
            context.BucketName,
            new ListObjectVersionsQuery(listing.Prefix, listing.Delimiter, keyMarker, versionIdMarker, listing.MaxKeys),
            context.Aborted);

        var root = new XElement(S3Xml.N("ListVersionsResult"),
            new XElement(S3Xml.N("Name"), context.BucketName),
            listing.Element("Prefix", listing.Prefix),
            listing.Element("KeyMarker", keyMarker),
            new XElement(S3Xml.N("VersionIdMarker"), versionIdMarker ?? string.Empty),
            page.IsTruncated ? listing.Element("NextKeyMarker", page.NextKeyMarker) : null,
            page.IsTruncated && page.NextVersionIdMarker is not null ? new XElement(S3Xml.N("NextVersionIdMarker"), page.NextVersionIdMarker) : null,
            new XElement(S3Xml.N("MaxKeys"), listing.MaxKeys),
            listing.Common(),
            new XElement(S3Xml.N("IsTruncated"), page.IsTruncated ? "true" : "false"),
            page.Versions.Select(v => Entry(listing, v)),
            page.CommonPrefixes.Select(p => new XElement(S3Xml.N("CommonPrefixes"), listing.Element("Prefix", p))));
        await S3Responses.WriteXmlAsync(context, root);
    }

    private static XElement Entry(ListingRequest listing, ObjectVersion version)
    {
        if (version.Object is not { } o)
        {
            return new XElement(S3Xml.N("DeleteMarker"),
                listing.Element("Key", version.Key),
                new XElement(S3Xml.N("VersionId"), version.VersionId),
                new XElement(S3Xml.N("IsLatest"), version.IsLatest ? "true" : "false"),
                new XElement(S3Xml.N("LastModified"), S3Xml.Timestamp(version.LastModified)),
                S3Responses.Owner(version.OwnerCanonicalId));
        }

        return new XElement(S3Xml.N("Version"),
            listing.Element("Key", version.Key),
            new XElement(S3Xml.N("VersionId"), version.VersionId),
            new XElement(S3Xml.N("IsLatest"), version.IsLatest ? "true" : "false"),
            new XElement(S3Xml.N("LastModified"), S3Xml.Timestamp(o.LastModified)),
            new XElement(S3Xml.N("ETag"), o.ETag),
            o.Checksums.Count > 0 ? o.Checksums.Keys.Select(a => new XElement(S3Xml.N("ChecksumAlgorithm"), a)) : null,
            new XElement(S3Xml.N("Size"), o.Size),
            S3Responses.Owner(o.OwnerCanonicalId),
            new XElement(S3Xml.N("StorageClass"), o.StorageClass));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
