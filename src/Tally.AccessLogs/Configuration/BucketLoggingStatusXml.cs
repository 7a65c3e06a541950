using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;

namespace Tally.AccessLogs.Configuration;

/// <summary>
/// The <c>BucketLoggingStatus</c> document of Put/GetBucketLogging (spec §4.1, §4.2): parsing with
/// AWS's errors, and writing what was set. Either namespace is accepted (spec §9.14).
/// </summary>
public static class BucketLoggingStatusXml
{
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly string[] Permissions = ["FULL_CONTROL", "READ", "WRITE", "READ_ACP"];

    /// <summary>The configuration in <paramref name="body"/>, or null for an empty status (logging off).</summary>
    public static LoggingConfiguration? Parse(ReadOnlySpan<byte> body)
    {
        var root = S3Xml.ParseRequest(body, "BucketLoggingStatus");
        return Parse(root);
    }

    public static LoggingConfiguration? Parse(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var enabled = root.Child("LoggingEnabled");
        if (enabled is null)
        {
            return null;
        }

        // spec §4.2: TargetBucket and TargetPrefix are required members; missing ⇒ MalformedXML.
        var targetBucket = enabled.ChildValue("TargetBucket") ?? throw new S3Exception(S3Errors.MalformedXML);
        var targetPrefix = enabled.ChildValue("TargetPrefix") ?? throw new S3Exception(S3Errors.MalformedXML);
        var grantsElement = enabled.Child("TargetGrants");
        var grants = grantsElement?.Children("Grant").Select(ParseGrant).ToList();
        var formatElement = enabled.Child("TargetObjectKeyFormat");
        return new LoggingConfiguration(targetBucket, targetPrefix, grants, formatElement is null ? null : ParseKeyFormat(formatElement));
    }

    /// <summary>The GetBucketLogging answer: empty <c>BucketLoggingStatus</c> when off (spec §9.13).</summary>
    public static XElement ToXml(LoggingConfiguration? configuration)
    {
        var root = new XElement(S3Xml.N("BucketLoggingStatus"));
        if (configuration is null)
        {
            return root;
        }

        // Member order of the AWS model's LoggingEnabled shape.
        var enabled = new XElement(S3Xml.N("LoggingEnabled"), new XElement(S3Xml.N("TargetBucket"), configuration.TargetBucket));
        if (configuration.TargetGrants is { } grants)
        {
            enabled.Add(new XElement(S3Xml.N("TargetGrants"), grants.Select(GrantXml)));
        }

        enabled.Add(new XElement(S3Xml.N("TargetPrefix"), configuration.TargetPrefix));
        if (configuration.KeyFormat is { } format)
        {
            enabled.Add(new XElement(S3Xml.N("TargetObjectKeyFormat"), format.Partitioned
                ? new XElement(S3Xml.N("PartitionedPrefix"), format.DateSource is { } source ? new XElement(S3Xml.N("PartitionDateSource"), source.ToString()) : null)
                : new XElement(S3Xml.N("SimplePrefix"))));
        }

        root.Add(enabled);
        return root;
    }

    /// <summary>The stored form (the settings document): the same XML as the GET answer.</summary>
    public static string ToDocument(LoggingConfiguration configuration) =>
        ToXml(configuration).ToString(SaveOptions.DisableFormatting);

    public static LoggingConfiguration? FromDocument(string document) =>
        Parse(XElement.Parse(document));

    private static TargetGrant ParseGrant(XElement grant)
    {
        var grantee = grant.Child("Grantee") ?? throw new S3Exception(S3Errors.MalformedXML);
        var permission = grant.ChildValue("Permission");
        if (permission is null || !Permissions.Contains(permission, StringComparer.Ordinal))
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        var type = grantee.Attribute(Xsi + "type")?.Value switch
        {
            "CanonicalUser" => GranteeType.CanonicalUser,
            "AmazonCustomerByEmail" => GranteeType.AmazonCustomerByEmail,
            "Group" => GranteeType.Group,
            _ => throw new S3Exception(S3Errors.MalformedXML),
        };
        var result = new TargetGrant(type, grantee.ChildValue("ID"), grantee.ChildValue("DisplayName"), grantee.ChildValue("EmailAddress"), grantee.ChildValue("URI"), permission);
        var identified = type switch
        {
            GranteeType.CanonicalUser => !string.IsNullOrEmpty(result.Id),
            GranteeType.AmazonCustomerByEmail => !string.IsNullOrEmpty(result.EmailAddress),
            _ => !string.IsNullOrEmpty(result.Uri),
        };
        return identified ? result : throw new S3Exception(S3Errors.MalformedXML);
    }

    private static TargetObjectKeyFormat ParseKeyFormat(XElement format)
    {
        var simple = format.Child("SimplePrefix");
        var partitioned = format.Child("PartitionedPrefix");

        // spec §4.2: exactly one of the two; both (or neither) is MalformedXML [I].
        if ((simple is null) == (partitioned is null))
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        if (simple is not null)
        {
            return TargetObjectKeyFormat.Simple;
        }

        var source = partitioned!.ChildValue("PartitionDateSource");
        return source switch
        {
            null => new TargetObjectKeyFormat(true),
            "EventTime" => new TargetObjectKeyFormat(true, PartitionDateSource.EventTime),
            "DeliveryTime" => new TargetObjectKeyFormat(true, PartitionDateSource.DeliveryTime),
            _ => throw new S3Exception(S3Errors.MalformedXML),
        };
    }

    private static XElement GrantXml(TargetGrant grant)
    {
        var grantee = new XElement(S3Xml.N("Grantee"),
            new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
            new XAttribute(Xsi + "type", grant.Type.ToString()));
        switch (grant.Type)
        {
            case GranteeType.CanonicalUser:
                grantee.Add(new XElement(S3Xml.N("ID"), grant.Id));
                if (grant.DisplayName is not null)
                {
                    grantee.Add(new XElement(S3Xml.N("DisplayName"), grant.DisplayName));
                }

                break;
            case GranteeType.AmazonCustomerByEmail:
                grantee.Add(new XElement(S3Xml.N("EmailAddress"), grant.EmailAddress));
                break;
            default:
                grantee.Add(new XElement(S3Xml.N("URI"), grant.Uri));
                break;
        }

        return new XElement(S3Xml.N("Grant"), grantee, new XElement(S3Xml.N("Permission"), grant.Permission));
    }
}
