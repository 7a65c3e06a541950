using Microsoft.AspNetCore.Http;
using Tally.Core.Errors;
using Tally.Security.Credentials;
using Tally.Security.SigV2;
using Tally.Security.SigV4;
using Tally.Server.Hosting;

namespace Tally.Server.Pipeline;

/// <summary>Adapts an ASP.NET request to SigV4 verification (Tally.Security stays free of ASP.NET).</summary>
public sealed class RequestAuthenticator(CredentialStore credentials, TallyOptions options, TimeProvider time)
{
    private readonly SigV4Authenticator _sigV4 = new(credentials, new SigV4Options { MaxClockSkew = options.MaxClockSkew });
    private readonly SigV2Authenticator _sigV2 = new(credentials, new SigV4Options { MaxClockSkew = options.MaxClockSkew });

    public ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext http, S3Address address, CancellationToken ct)
    {
        var headers = http.Request.Headers;
        var request = new SigningRequest(
            http.Request.Method,
            address.RawPath,
            address.RawQuery,
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null,
            time.GetUtcNow(),
            headers.Keys);
        if (SigV2Authenticator.Applies(request))
        {
            return _sigV2.AuthenticateAsync(request, address.IsVirtualHosted ? address.Bucket : null, ct);
        }

        return _sigV4.AuthenticateAsync(request, ct);
    }

    /// <summary>
    /// What the access log says about a request whose signature was rejected (spec §8): the
    /// requester the access key belongs to when it is known, and the scheme as presented.
    /// </summary>
    public async ValueTask<AuthenticationResult> DescribeRejectedAsync(HttpContext http, S3Exception error, CancellationToken ct)
    {
        var request = http.Request;
        var authorization = request.Headers.Authorization.ToString();
        var (version, type) = authorization switch
        {
            _ when authorization.StartsWith(SigV4Constants.Algorithm, StringComparison.Ordinal) => (AuthenticationResult.SigV4, AuthenticationResult.AuthHeader),
            _ when authorization.StartsWith("AWS ", StringComparison.Ordinal) => (SigV2Authenticator.SignatureVersion, AuthenticationResult.AuthHeader),
            _ when request.Query.ContainsKey("X-Amz-Algorithm") => (AuthenticationResult.SigV4, AuthenticationResult.QueryString),
            _ when request.Query.ContainsKey("AWSAccessKeyId") => (SigV2Authenticator.SignatureVersion, AuthenticationResult.QueryString),
            _ => ((string?)null, (string?)null),
        };
        var user = error.Details.TryGetValue("AWSAccessKeyId", out var accessKeyId)
            ? await credentials.FindByAccessKeyAsync(accessKeyId, ct)
            : null;
        return new AuthenticationResult(user?.Identity, version, type, accessKeyId);
    }
}
