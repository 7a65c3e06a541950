using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.Core.Errors;
using Tally.S3.Operations;
using Tally.Security;
using Tally.Security.Acls;
using Tally.Security.Credentials;
using Tally.Security.Policies;
using Tally.Security.SigV4;
using Tally.Server.Hosting;
using Tally.Server.Operations.Objects;
using Tally.Server.Pipeline;
using Tally.Storage.Model;

namespace Tally.Server.Operations.Access;

/// <summary>
/// The server's side of authorization: loads a bucket's access documents and the caller's
/// identity policy, builds the request's condition keys, asks <see cref="Authorizer"/>, records
/// aclRequired for the access log, and turns a denial into AWS's bare AccessDenied (the reason goes
/// to the debug log only). One instance per server; parsed policies are cached by their text.
/// Handlers reach it as an HTTP feature (<see cref="For"/>) for the checks they make themselves:
/// the copy source's read, and each key of DeleteObjects.
/// </summary>
public sealed partial class RequestAuthorization(TallyServices services, ILogger logger)
{
    /// <summary>The canonical user id S3 records for anonymous requesters (owner of objects they write).</summary>
    public const string AnonymousCanonicalId = "65a011a29cdf8ec533ec3d1ccaae921c";

    private const int MaxCachedPolicies = 10_000;

    // A request naming a version is authorised as S3 does, by the *Version action.
    private static readonly FrozenDictionary<string, string> VersionActions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["s3:GetObject"] = "s3:GetObjectVersion",
        ["s3:DeleteObject"] = "s3:DeleteObjectVersion",
        ["s3:GetObjectAcl"] = "s3:GetObjectVersionAcl",
        ["s3:PutObjectAcl"] = "s3:PutObjectVersionAcl",
        ["s3:GetObjectTagging"] = "s3:GetObjectVersionTagging",
        ["s3:PutObjectTagging"] = "s3:PutObjectVersionTagging",
        ["s3:DeleteObjectTagging"] = "s3:DeleteObjectVersionTagging",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, PolicyDocument> _bucketPolicies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PolicyDocument> _identityPolicies = new(StringComparer.Ordinal);

    /// <summary>The instance the dispatcher registered on this request.</summary>
    public static RequestAuthorization For(S3RequestContext context) =>
        context.Http.Features.Get<RequestAuthorization>() ?? throw new InvalidOperationException("The request was not authorized by the dispatcher.");

    /// <summary>
    /// The dispatcher's step: the bucket exists and has the expected owner, then the operation's
    /// IAM action on its resource is allowed, then ACL headers fit the bucket's ownership and
    /// public access block. Throws S3Exception (NoSuchBucket, AccessDenied, MethodNotAllowed,
    /// AccessControlListNotSupported, InvalidBucketAclWithObjectOwnership).
    /// </summary>
    public async Task AuthorizeAsync(S3RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Http.Features.Set(this);
        var op = context.Operation;
        if (op.Target != S3Target.Service && op != S3Operations.CreateBucket)
        {
            if (context.BucketInfo is null)
            {
                throw S3Exception.With(S3Errors.NoSuchBucket, null, ("BucketName", context.BucketName));
            }

            RequireExpectedOwner(context.Header("x-amz-expected-bucket-owner"), context.BucketInfo);
        }

        if (op == S3Operations.ListBuckets || op == S3Operations.CreateBucket)
        {
            await AuthorizeWithoutBucketAsync(context, op);
            return;
        }

        // DeleteObjects is authorised key by key (s3:DeleteObject on each object), as S3 does.
        if (op == S3Operations.DeleteObjects)
        {
            return;
        }

        var bucket = context.Bucket;
        var versionId = context.Query("versionId");
        var action = versionId is not null && context.Address.Key is not null && VersionActions.TryGetValue(op.IamAction, out var versioned) ? versioned : op.IamAction;
        var decision = await DecideAsync(context, action, bucket, context.Address.Key, versionId);
        if (!decision.IsAllowed)
        {
            throw Denied(context, action, decision);
        }

        context.Capture.AclRequired = decision.AclRequired;
        var principal = RequestPrincipal.From(context.Identity);
        var sameAccount = string.Equals(principal.AccountId, bucket.OwnerAccountId, StringComparison.Ordinal);
        if (!sameAccount)
        {
            // PutBucketPolicy: "…but you're not using an identity that belongs to the bucket
            // owner's account, Amazon S3 returns a 405 Method Not Allowed error" (same for Get/Delete);
            // logging is configured by the bucket owner only (spec §4.3).
            if (op == S3Operations.GetBucketPolicy || op == S3Operations.PutBucketPolicy || op == S3Operations.DeleteBucketPolicy)
            {
                LogDenied(logger, context.Capture.RequestId, op.IamAction, "bucket policy operations are for the bucket owner's account only");
                throw new S3Exception(S3Errors.MethodNotAllowed);
            }

            if (op == S3Operations.PutBucketLogging)
            {
                LogDenied(logger, context.Capture.RequestId, op.IamAction, "only the bucket owner may configure logging");
                throw new S3Exception(S3Errors.AccessDenied);
            }
        }

        if (op == S3Operations.PutObject || op == S3Operations.CopyObject || op == S3Operations.CreateMultipartUpload)
        {
            var access = await LoadAsync(context, bucket.Name);
            var acl = CannedAcl.FromHeaders(context.Header, await NewObjectOwnerAsync(context), bucket.OwnerCanonicalId);
            if (acl is not null)
            {
                // object-ownership-error-responses.html: with ACLs disabled a PUT must "specify bucket
                // owner full control ACLs or not specify an ACL": bucket-owner-full-control, or an ACL
                // that, written by this requester, gives full control to the bucket owner alone. So the
                // bucket owner's own `private` (rclone's and s3cmd's default) passes and another
                // account's does not (as AWS answers cross-account writers).
                if (!access.AclsEnabled && context.Header("x-amz-acl") is { } canned && canned != CannedAcl.BucketOwnerFullControl
                    && CannedAcl.FromHeaders(context.Header, context.Identity?.CanonicalUserId ?? AnonymousCanonicalId, bucket.OwnerCanonicalId) is { } asWritten
                    && !asWritten.OnlyFullControlTo(bucket.OwnerCanonicalId))
                {
                    throw new S3Exception(S3Errors.AccessControlListNotSupported);
                }

                CheckAclWrite(context, access, acl, bucket.OwnerCanonicalId);
            }
        }
    }

    /// <summary>
    /// Whether the caller may list <paramref name="bucket"/> (s3:ListBucket). GetObject and
    /// HeadObject of a missing key answer 404 NoSuchKey only then, 403 AccessDenied otherwise
    /// (API_GetObject.html, "Permissions"), so keys cannot be probed without the right to list them.
    /// </summary>
    public async Task<bool> MayListBucketAsync(S3RequestContext context, BucketInfo bucket)
    {
        ArgumentNullException.ThrowIfNull(context);
        var decision = await DecideAsync(context, "s3:ListBucket", bucket, null, null);
        if (!decision.IsAllowed)
        {
            LogDenied(logger, context.Capture.RequestId, "s3:ListBucket", "a missing key is reported as AccessDenied: " + decision.Reason);
        }

        return decision.IsAllowed;
    }

    /// <summary>
    /// Throws AccessDenied unless the caller may do <paramref name="action"/> on the object (or
    /// bucket, when <paramref name="key"/> is null) of <paramref name="bucket"/>; the reason goes
    /// to the debug log.
    /// </summary>
    public async Task RequireAsync(S3RequestContext context, string action, BucketInfo bucket, string? key, string? versionId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var decision = await DecideAsync(context, action, bucket, key, versionId);
        if (!decision.IsAllowed)
        {
            throw Denied(context, action, decision);
        }
    }

    /// <summary>
    /// The decision for <paramref name="action"/> on the object (or bucket) of <paramref name="bucket"/>,
    /// with the bucket's stored documents and the caller's identity policy.
    /// </summary>
    public async Task<AuthorizationDecision> DecideAsync(S3RequestContext context, string action, BucketInfo bucket, string? key, string? versionId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(bucket);
        var access = await LoadAsync(context, bucket.Name);
        var principal = RequestPrincipal.From(context.Identity);
        var identityPolicy = await IdentityPolicyAsync(context);
        var policyContext = BuildContext(context, principal, bucket);

        AccessControlList? objectAcl = null;
        var readsObjectTags = key is not null
            && ((access.Policy?.ReadsConditionKey("s3:ExistingObjectTag/") ?? false) || (identityPolicy?.ReadsConditionKey("s3:ExistingObjectTag/") ?? false));
        var needsObjectAcl = key is not null && access.AclsEnabled && Authorizer.UsesObjectAcl(action);
        if (readsObjectTags || needsObjectAcl)
        {
            try
            {
                var (info, aclDocument) = await context.Store.GetObjectAclAsync(bucket.Name, key!, versionId, context.Aborted);
                foreach (var (tag, value) in info.Tags)
                {
                    policyContext.Set("s3:ExistingObjectTag/" + tag, value);
                }

                objectAcl = aclDocument is null ? AccessControlList.Private(info.OwnerCanonicalId) : AccessControlList.Deserialize(aclDocument);
            }
            catch (S3Exception)
            {
                // No such object or version: no tags, no object ACL; the handler answers the 404.
            }
        }

        return Authorizer.Authorize(new AuthorizationRequest
        {
            Principal = principal,
            Action = action,
            Resource = key is null ? PolicyRequest.BucketArn(bucket.Name) : PolicyRequest.ObjectArn(bucket.Name, key),
            Context = policyContext,
            BucketOwnerAccountId = bucket.OwnerAccountId,
            IdentityPolicy = identityPolicy,
            BucketPolicy = access.Policy,
            BucketAcl = access.AclsEnabled ? access.EffectiveAcl(bucket.OwnerCanonicalId) : null,
            ObjectAcl = objectAcl,
            Ownership = access.Ownership,
            PublicAccessBlock = access.Block,
        });
    }

    /// <summary>
    /// As <see cref="LoadAsync(string, CancellationToken)"/>, remembered for the rest of the
    /// request (DeleteObjects asks once per key). Handlers that change a document call the other
    /// overload afterwards.
    /// </summary>
    public async Task<BucketAccess> LoadAsync(S3RequestContext context, string bucket)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Http.Features.Get<LoadedBucketAccess>() is { } loaded && loaded.Bucket == bucket)
        {
            return loaded.Access;
        }

        var access = await LoadAsync(bucket, context.Aborted);
        context.Http.Features.Set(new LoadedBucketAccess(bucket, access));
        return access;
    }

    /// <summary>The bucket's access documents (policies parsed once per distinct text).</summary>
    public async Task<BucketAccess> LoadAsync(string bucket, CancellationToken ct)
    {
        var settings = services.Settings;
        var ownershipDocument = await settings.GetAsync(bucket, BucketAccess.OwnershipKind, ct);
        var policyJson = await settings.GetAsync(bucket, BucketAccess.PolicyKind, ct);
        var ownership = BucketAccess.ParseOwnership(ownershipDocument);
        var aclDocument = ownership == ObjectOwnership.BucketOwnerEnforced ? null : await settings.GetAsync(bucket, BucketAccess.AclKind, ct);
        var blockDocument = await settings.GetAsync(bucket, BucketAccess.PublicAccessBlockKind, ct);
        return new BucketAccess(
            policyJson is null ? null : StoredBucketPolicy(bucket, policyJson),
            aclDocument is null ? null : AccessControlList.Deserialize(aclDocument),
            ownership,
            ownershipDocument == BucketAccess.OwnershipRemovedDocument,
            blockDocument is null ? null : PublicAccessBlock.Deserialize(blockDocument));
    }

    /// <summary>
    /// An ACL a request sets (PutBucketAcl, PutObjectAcl, x-amz-acl on writes) must fit the
    /// bucket: with ACLs disabled only the owner's full control (bucket-owner-full-control or its
    /// equivalent) is accepted; BlockPublicAcls refuses public grants.
    /// </summary>
    public void CheckAclWrite(S3RequestContext context, BucketAccess access, AccessControlList acl, string bucketOwnerCanonicalId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(acl);
        if (!access.AclsEnabled && !acl.OnlyFullControlTo(bucketOwnerCanonicalId))
        {
            throw new S3Exception(S3Errors.AccessControlListNotSupported);
        }

        if (access.Block.BlockPublicAcls && acl.IsPublic)
        {
            LogDenied(logger, context.Capture.RequestId, context.Operation.IamAction, "BlockPublicAcls refuses a public ACL");
            throw new S3Exception(S3Errors.AccessDenied);
        }

        RequireResolvableGrantees(acl);
    }

    /// <summary>
    /// Tally's accounts have no e-mail addresses, so an ACL granting to one names no one:
    /// UnresolvableGrantByEmailAddress, S3's answer for an unknown address.
    /// </summary>
    public static void RequireResolvableGrantees(AccessControlList acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        if (acl.Grants.Any(g => g.Grantee.Type == GranteeType.Email))
        {
            throw new S3Exception(S3Errors.UnresolvableGrantByEmailAddress);
        }
    }

    /// <summary>
    /// Who owns an object this request writes (Object Ownership, about-object-ownership.html):
    /// the bucket owner when ACLs are disabled, or under BucketOwnerPreferred when the write says
    /// bucket-owner-full-control; otherwise the writer (an anonymous writer is AWS's anonymous
    /// canonical user). For PutObject, CopyObject and CreateMultipartUpload handlers.
    /// </summary>
    public async Task<string> NewObjectOwnerAsync(S3RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bucket = context.Bucket;
        var access = await LoadAsync(context, bucket.Name);
        var bucketOwnerFullControl = context.Header("x-amz-acl") == CannedAcl.BucketOwnerFullControl;
        return access.Ownership switch
        {
            ObjectOwnership.BucketOwnerEnforced => bucket.OwnerCanonicalId,
            ObjectOwnership.BucketOwnerPreferred when bucketOwnerFullControl => bucket.OwnerCanonicalId,
            _ => context.Identity?.CanonicalUserId ?? AnonymousCanonicalId,
        };
    }

    /// <summary>
    /// <paramref name="write"/> with the owner (<see cref="NewObjectOwnerAsync"/>) and the ACL
    /// document of the object this request writes: what its x-amz-acl / x-amz-grant-* headers set
    /// (already checked against ownership and the public access block when the request was
    /// authorised), none when ACLs are disabled or the request set none (the owner's private
    /// default). The store keeps both with the new version in one commit; a multipart upload
    /// keeps them until CompleteMultipartUpload. For PutObject, CopyObject and CreateMultipartUpload.
    /// </summary>
    public async Task<ObjectWrite> NewObjectWriteAsync(S3RequestContext context, ObjectWrite write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        var owner = await NewObjectOwnerAsync(context);
        var access = await LoadAsync(context, context.BucketName);
        var acl = access.AclsEnabled ? CannedAcl.FromHeaders(context.Header, owner, context.Bucket.OwnerCanonicalId) : null;
        return write with { OwnerCanonicalId = owner, Acl = acl?.Serialize() };
    }

    private async Task AuthorizeWithoutBucketAsync(S3RequestContext context, S3Operation op)
    {
        var principal = RequestPrincipal.From(context.Identity);
        var decision = Authorizer.Authorize(new AuthorizationRequest
        {
            Principal = principal,
            Action = op.IamAction,
            Resource = op == S3Operations.CreateBucket ? PolicyRequest.BucketArn(context.BucketName) : Authorizer.AllBucketsResource,
            Context = BuildContext(context, principal, null),
            BucketOwnerAccountId = null,
            IdentityPolicy = await IdentityPolicyAsync(context),
        });
        if (!decision.IsAllowed)
        {
            throw Denied(context, op.IamAction, decision);
        }

        if (op == S3Operations.CreateBucket && context.Header("x-amz-object-ownership") is null or "BucketOwnerEnforced" && context.Identity is { } caller)
        {
            // A new bucket is BucketOwnerEnforced unless the request says otherwise; an ACL
            // header beyond the owner's full control cannot apply to it.
            var acl = CannedAcl.FromHeaders(context.Header, caller.CanonicalUserId, caller.CanonicalUserId);
            if (acl is not null && !acl.OnlyFullControlTo(caller.CanonicalUserId))
            {
                throw new S3Exception(S3Errors.InvalidBucketAclWithObjectOwnership);
            }
        }
    }

    // Policies are validated before they are stored; one that no longer parses (written by an
    // older Tally, or by hand) denies everyone but the owner's root user, who can still replace
    // or delete it, rather than failing every request to the bucket.
    private PolicyDocument StoredBucketPolicy(string bucket, string json)
    {
        try
        {
            return Cached(_bucketPolicies, bucket + "\n" + json, _ => PolicyDocument.ParseBucketPolicy(json, bucket));
        }
        catch (S3Exception error)
        {
            LogBadBucketPolicy(logger, bucket, error.Message);
            var denyAll = $$"""
                {"Version":"2012-10-17","Statement":[{"Sid":"InvalidStoredPolicy","Effect":"Deny","Principal":"*","Action":"s3:*",
                 "Resource":["arn:aws:s3:::{{bucket}}","arn:aws:s3:::{{bucket}}/*"]}]}
                """;
            return PolicyDocument.ParseBucketPolicy(denyAll, bucket);
        }
    }

    private async Task<PolicyDocument?> IdentityPolicyAsync(S3RequestContext context)
    {
        if (context.Identity is not { IsRoot: false } identity)
        {
            return null;
        }

        var credentials = context.Http.RequestServices.GetService<CredentialStore>();
        if (credentials is null)
        {
            return null;
        }

        var user = await credentials.FindByAccessKeyAsync(identity.AccessKeyId, context.Aborted);
        if (user?.IdentityPolicyJson is not { } json)
        {
            return null;
        }

        try
        {
            return Cached(_identityPolicies, json, PolicyDocument.ParseIdentityPolicy);
        }
        catch (S3Exception error)
        {
            // A policy stored before validation existed: deny rather than guess what it meant.
            LogBadIdentityPolicy(logger, identity.Arn, error.Message);
            return PolicyDocument.ParseIdentityPolicy("""{"Version":"2012-10-17","Statement":[{"Sid":"InvalidStoredPolicy","Effect":"Deny","Action":"*","Resource":"*"}]}""");
        }
    }

    private static PolicyDocument Cached(ConcurrentDictionary<string, PolicyDocument> cache, string json, Func<string, PolicyDocument> parse)
    {
        if (cache.TryGetValue(json, out var cached))
        {
            return cached;
        }

        var parsed = parse(json);
        if (cache.Count >= MaxCachedPolicies)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(json, parsed);
    }

    /// <summary>The request's condition keys (the global keys a self-hosted server knows, and S3's).</summary>
    private PolicyContext BuildContext(S3RequestContext context, RequestPrincipal principal, BucketInfo? bucket)
    {
        var http = context.Http;
        var now = services.Time.GetUtcNow();
        var policyContext = new PolicyContext()
            .Set("aws:SecureTransport", http.Request.IsHttps ? "true" : "false")
            .Set("aws:CurrentTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Set("aws:UserAgent", context.Header("User-Agent"))
            .Set("aws:Referer", context.Header("Referer"))
            .Set("s3:ResourceAccount", bucket?.OwnerAccountId);
        var remote = http.Connection.RemoteIpAddress;
        if (remote is not null)
        {
            policyContext.Set("aws:SourceIp", (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString());
        }

        switch (principal.Kind)
        {
            case PrincipalKind.AccountRoot or PrincipalKind.User:
                policyContext
                    .Set("aws:PrincipalArn", principal.Arn)
                    .Set("aws:PrincipalAccount", principal.AccountId)
                    .Set("aws:PrincipalType", principal.Kind == PrincipalKind.User ? "User" : "Account")
                    // IAM's userid is the account id for a root user and the user's unique id
                    // otherwise; a Tally user's unique id is its access key id (one key per user).
                    .Set("aws:userid", principal.Kind == PrincipalKind.User ? context.Identity!.AccessKeyId : principal.AccountId)
                    .Set("aws:username", principal.Kind == PrincipalKind.User ? principal.UserName : null);
                break;
            case PrincipalKind.Anonymous:
                policyContext.Set("aws:PrincipalType", "Anonymous").Set("aws:userid", "anonymous");
                break;
        }

        var authentication = http.Features.Get<AuthenticationResult>();
        if (authentication is { IsAnonymous: false })
        {
            policyContext
                .Set("s3:signatureversion", authentication.SignatureVersion == AuthenticationResult.SigV4 ? "AWS4-HMAC-SHA256" : "AWS")
                .Set("s3:authType", authentication.AuthType == AuthenticationResult.QueryString ? "REST-QUERY-STRING" : "REST-HEADER");
        }

        var tls = http.Features.Get<ITlsHandshakeFeature>();
        if (tls is not null && http.Request.IsHttps)
        {
            policyContext.Set("s3:TlsVersion", tls.Protocol switch
            {
                System.Security.Authentication.SslProtocols.Tls13 => "1.3",
                System.Security.Authentication.SslProtocols.Tls12 => "1.2",
                _ => null,
            });
        }

        foreach (var header in (string[])["x-amz-acl", "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
            "x-amz-grant-full-control", "x-amz-copy-source", "x-amz-metadata-directive", "x-amz-server-side-encryption", "x-amz-storage-class",
            "x-amz-content-sha256", "x-amz-object-ownership"])
        {
            policyContext.Set("s3:" + header, context.Header(header));
        }

        var op = context.Operation;
        if (op == S3Operations.ListObjects || op == S3Operations.ListObjectsV2 || op == S3Operations.ListObjectVersions)
        {
            policyContext.Set("s3:prefix", context.Query("prefix")).Set("s3:delimiter", context.Query("delimiter")).Set("s3:max-keys", context.Query("max-keys"));
        }

        policyContext.Set("s3:VersionId", context.Query("versionId"));
        if (context.Header("x-amz-tagging") is { } tagging)
        {
            try
            {
                var tags = ObjectRequestHeaders.Tags(tagging);
                policyContext.Set("s3:RequestObjectTagKeys", tags.Keys);
                foreach (var (tag, value) in tags)
                {
                    policyContext.Set("s3:RequestObjectTag/" + tag, value);
                }
            }
            catch (S3Exception)
            {
                // Malformed tagging: the handler answers InvalidTag.
            }
        }

        return policyContext;
    }

    private static void RequireExpectedOwner(string? expectedOwner, BucketInfo bucket)
    {
        if (expectedOwner is not null && !string.Equals(expectedOwner, bucket.OwnerAccountId, StringComparison.Ordinal))
        {
            throw new S3Exception(S3Errors.AccessDenied);
        }
    }

    /// <summary>x-amz-source-expected-bucket-owner for the source of a copy.</summary>
    public static void RequireExpectedSourceOwner(S3RequestContext context, BucketInfo source)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        RequireExpectedOwner(context.Header("x-amz-source-expected-bucket-owner"), source);
    }

    private S3Exception Denied(S3RequestContext context, string action, AuthorizationDecision decision)
    {
        LogDenied(logger, context.Capture.RequestId, action, decision.Reason);
        return new S3Exception(S3Errors.AccessDenied);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "Request {RequestId} denied ({Action}): {Reason}")]
    private static partial void LogDenied(ILogger logger, string requestId, string action, string reason);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "The stored policy of bucket {Bucket} is invalid ({Reason}); everyone but the owner's root user is denied until it is replaced")]
    private static partial void LogBadBucketPolicy(ILogger logger, string bucket, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "The stored identity policy of {Arn} is invalid ({Reason}); the user is denied everything until it is replaced")]
    private static partial void LogBadIdentityPolicy(ILogger logger, string arn, string reason);

    private sealed record LoadedBucketAccess(string Bucket, BucketAccess Access);
}
