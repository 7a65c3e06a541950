using Microsoft.AspNetCore.Http;
using Tally.Core.Identity;
using Tally.S3.Operations;
using Tally.Server.Hosting;
using Tally.Storage;
using Tally.Storage.Model;

namespace Tally.Server.Pipeline;

/// <summary>What a handler gets: the resolved operation, addressing, caller and services.</summary>
public sealed class S3RequestContext
{
    public required HttpContext Http { get; init; }

    public required S3Operation Operation { get; init; }

    public required S3Address Address { get; init; }

    public required AccessLogCapture Capture { get; init; }

    public required TallyServices Services { get; init; }

    /// <summary>Null for anonymous requests.</summary>
    public S3Identity? Identity { get; init; }

    /// <summary>The addressed bucket; set for bucket and object operations except CreateBucket.</summary>
    public BucketInfo? BucketInfo { get; init; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public CancellationToken Aborted => Http.RequestAborted;

    public IObjectStore Store => Services.Store;

    public IBucketSettingsStore Settings => Services.Settings;

    public string BucketName => Address.Bucket ?? throw new InvalidOperationException("Operation has no bucket.");

    public string Key => Address.Key ?? throw new InvalidOperationException("Operation has no key.");

    public BucketInfo Bucket => BucketInfo ?? throw new InvalidOperationException("Bucket was not loaded.");

    public S3Identity Caller => Identity ?? throw new InvalidOperationException("Operation requires an identity.");

    /// <summary>The caller's canonical id, or AWS's id for anonymous callers (writes a policy or ACL let through).</summary>
    public string CallerCanonicalId => Identity?.CanonicalUserId ?? Operations.Access.RequestAuthorization.AnonymousCanonicalId;

    public string? Query(string name) => Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    public string? Header(string name) => Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
}
