using Microsoft.AspNetCore.Http;
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
}
