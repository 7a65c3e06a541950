using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.Security.Acls;
using GranteeType = Tally.Security.Acls.GranteeType;

namespace Tally.Server.Operations.Access;

/// <summary>
/// A delivered log object's ACL (<see cref="LogObjectAcl"/>: the owner's FULL_CONTROL and the
/// TargetGrants, spec §5.3) as the access model's own ACL document, so it is stored and evaluated
/// like any object's ACL. Tally.AccessLogs does not know the access model; the host passes this in.
/// </summary>
public static class LogObjectAclDocument
{
    public static string Serialize(LogObjectAcl acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        return new AccessControlList(acl.OwnerCanonicalId, [.. acl.Grants.Select(Grant)]).Serialize();
    }

    private static AclGrant Grant(TargetGrant grant) => new(
        grant.Type == Tally.AccessLogs.Configuration.GranteeType.Group ? new AclGrantee(GranteeType.Group, grant.Uri!) : AclGrantee.CanonicalUser(grant.Id!),
        AccessControlList.ParsePermission(grant.Permission) ?? throw new InvalidOperationException($"Unknown TargetGrants permission {grant.Permission}"));
}
