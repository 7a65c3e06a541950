using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;
using Tally.Security.Policies;

namespace Tally.Security.Acls;

/// <summary>
/// A bucket's or an object's ACL: its owner and its grants (acl-overview.html). Immutable. The
/// XML form is S3's AccessControlPolicy document, used on the wire and for storage.
/// </summary>
public sealed record AccessControlList(string OwnerCanonicalId, IReadOnlyList<AclGrant> Grants)
{
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The default ACL of a new bucket or object: the owner has FULL_CONTROL.</summary>
    public static AccessControlList Private(string ownerCanonicalId) =>
        new(ownerCanonicalId, [new AclGrant(AclGrantee.CanonicalUser(ownerCanonicalId), AclPermission.FullControl)]);

    /// <summary>Whether any grant goes to AllUsers or AuthenticatedUsers.</summary>
    public bool IsPublic => Grants.Any(g => g.Grantee.IsPublic);

    /// <summary>
    /// Whether the ACL grants nothing beyond FULL_CONTROL to <paramref name="canonicalId"/>: what a
    /// BucketOwnerEnforced bucket still accepts (bucket-owner-full-control or its XML equivalent).
    /// </summary>
    public bool OnlyFullControlTo(string canonicalId) =>
        Grants.All(g => g.Grantee.Type == GranteeType.CanonicalUser
            && string.Equals(g.Grantee.Value, canonicalId, StringComparison.OrdinalIgnoreCase)
            && g.Permission == AclPermission.FullControl);

    /// <summary>
    /// How the ACL grants <paramref name="needed"/> to <paramref name="principal"/>: Direct through
    /// a group (AllUsers, AuthenticatedUsers, LogDelivery) or to a root user's canonical id; Account
    /// when only the user's account is named (the user then also needs its own identity allow).
    /// Public grants are skipped when <paramref name="ignorePublic"/> (IgnorePublicAcls).
    /// </summary>
    public PrincipalMatch Grant(RequestPrincipal principal, AclPermission needed, bool ignorePublic)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var best = PrincipalMatch.None;
        foreach (var grant in Grants)
        {
            if (!grant.Gives(needed) || ignorePublic && grant.Grantee.IsPublic)
            {
                continue;
            }

            var match = grant.Grantee switch
            {
                { Type: GranteeType.Group, Value: AclGrantee.AllUsersUri } => PrincipalMatch.Direct,
                { Type: GranteeType.Group, Value: AclGrantee.AuthenticatedUsersUri } =>
                    principal.Kind is PrincipalKind.AccountRoot or PrincipalKind.User ? PrincipalMatch.Direct : PrincipalMatch.None,
                { Type: GranteeType.Group, Value: AclGrantee.LogDeliveryUri } =>
                    principal.Kind == PrincipalKind.Service && principal.ServiceName == RequestPrincipal.LogDeliveryService ? PrincipalMatch.Direct : PrincipalMatch.None,
                { Type: GranteeType.CanonicalUser } when string.Equals(grant.Grantee.Value, principal.CanonicalUserId, StringComparison.OrdinalIgnoreCase) =>
                    principal.Kind == PrincipalKind.AccountRoot ? PrincipalMatch.Direct : PrincipalMatch.Account,
                _ => PrincipalMatch.None,
            };
            if (match > best)
            {
                best = match;
            }
        }

        return best;
    }

    /// <summary>The AccessControlPolicy document GetBucketAcl / GetObjectAcl answer.</summary>
    public XElement ToXml()
    {
        var n = S3Xml.N;
        return new XElement(
            n("AccessControlPolicy"),
            new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName),
            Owner(OwnerCanonicalId),
            new XElement(n("AccessControlList"), Grants.Select(g => new XElement(
                n("Grant"),
                new XElement(
                    n("Grantee"),
                    new XAttribute(Xsi + "type", g.Grantee.Type switch
                    {
                        GranteeType.CanonicalUser => "CanonicalUser",
                        GranteeType.Group => "Group",
                        _ => "AmazonCustomerByEmail",
                    }),
                    g.Grantee.Type switch
                    {
                        GranteeType.CanonicalUser => [new XElement(n("ID"), g.Grantee.Value), new XElement(n("DisplayName"), DisplayName(g.Grantee.Value))],
                        GranteeType.Group => [new XElement(n("URI"), g.Grantee.Value)],
                        _ => new object[] { new XElement(n("EmailAddress"), g.Grantee.Value) },
                    }),
                new XElement(n("Permission"), PermissionName(g.Permission))))));
    }

    /// <summary>The stored form (the same XML document, without declaration).</summary>
    public string Serialize() => ToXml().ToString(SaveOptions.DisableFormatting);

    /// <summary>Reads a stored ACL (written by <see cref="Serialize"/>).</summary>
    public static AccessControlList Deserialize(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return FromXml(XElement.Parse(document));
    }

    /// <summary>
    /// Reads an AccessControlPolicy request body. Anything that is not a valid document is
    /// MalformedACLError; an unknown permission or grantee type is too.
    /// </summary>
    public static AccessControlList FromXml(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Name.LocalName != "AccessControlPolicy")
        {
            throw new S3Exception(S3Errors.MalformedACLError);
        }

        var owner = root.Child("Owner")?.ChildValue("ID");
        if (string.IsNullOrEmpty(owner))
        {
            throw new S3Exception(S3Errors.MalformedACLError);
        }

        var grants = new List<AclGrant>();
        foreach (var grant in root.Child("AccessControlList")?.Children("Grant") ?? [])
        {
            var grantee = grant.Child("Grantee") ?? throw new S3Exception(S3Errors.MalformedACLError);
            var type = grantee.Attribute(Xsi + "type")?.Value;
            AclGrantee parsed = type switch
            {
                "CanonicalUser" => AclGrantee.CanonicalUser(Required(grantee, "ID")),
                "Group" => new AclGrantee(GranteeType.Group, Required(grantee, "URI")),
                "AmazonCustomerByEmail" => new AclGrantee(GranteeType.Email, Required(grantee, "EmailAddress")),
                _ => throw new S3Exception(S3Errors.MalformedACLError),
            };
            if (parsed.Type == GranteeType.Group && parsed.Value is not (AclGrantee.AllUsersUri or AclGrantee.AuthenticatedUsersUri or AclGrantee.LogDeliveryUri))
            {
                throw S3Exception.With(S3Errors.InvalidArgument, "Invalid group uri", ("ArgumentName", "uri"), ("ArgumentValue", parsed.Value));
            }

            var permission = ParsePermission(grant.ChildValue("Permission")) ?? throw new S3Exception(S3Errors.MalformedACLError);
            grants.Add(new AclGrant(parsed, permission));
        }

        return new AccessControlList(owner, grants);
    }

    /// <summary>READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL → the permission; anything else null.</summary>
    public static AclPermission? ParsePermission(string? text) => text switch
    {
        "READ" => AclPermission.Read,
        "WRITE" => AclPermission.Write,
        "READ_ACP" => AclPermission.ReadAcp,
        "WRITE_ACP" => AclPermission.WriteAcp,
        "FULL_CONTROL" => AclPermission.FullControl,
        _ => null,
    };

    public static string PermissionName(AclPermission permission) => permission switch
    {
        AclPermission.Read => "READ",
        AclPermission.Write => "WRITE",
        AclPermission.ReadAcp => "READ_ACP",
        AclPermission.WriteAcp => "WRITE_ACP",
        _ => "FULL_CONTROL",
    };

    private static XElement Owner(string canonicalId) =>
        new(S3Xml.N("Owner"), new XElement(S3Xml.N("ID"), canonicalId), new XElement(S3Xml.N("DisplayName"), DisplayName(canonicalId)));

    // Tally has no display names; S3Responses.Owner shortens the canonical id the same way.
    private static string DisplayName(string canonicalId) => canonicalId[..Math.Min(12, canonicalId.Length)];

    private static string Required(XElement grantee, string child)
    {
        var value = grantee.ChildValue(child);
        return string.IsNullOrEmpty(value) ? throw new S3Exception(S3Errors.MalformedACLError) : value;
    }
}
