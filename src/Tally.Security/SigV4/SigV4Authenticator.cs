using System.Globalization;
using Tally.Core.Errors;
using Tally.Security.Credentials;

namespace Tally.Security.SigV4;

/// <summary>
/// Verifies AWS Signature Version 4 on a request: the Authorization header form and the presigned
/// query form. A request with neither is anonymous. Failures throw <see cref="S3Exception"/> with
/// AWS's codes; a SignatureDoesNotMatch carries AWSAccessKeyId, StringToSign, SignatureProvided and
/// CanonicalRequest in its details, as AWS's error document does. Thread-safe.
/// </summary>
public sealed class SigV4Authenticator
{
    private static readonly string CredentialShape = "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"";
    private static readonly string[] PresignParameters =
        ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"];

    private readonly ICredentialStore _credentials;
    private readonly SigV4Options _options;

    public SigV4Authenticator(ICredentialStore credentials, SigV4Options? options = null)
    {
        _credentials = credentials;
        _options = options ?? new SigV4Options();
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(SigningRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Header("authorization");
        var query = CanonicalRequest.ParseQuery(request.RawQuery);
        var hasAlgorithmParameter = query.Exists(p => p.Name == "X-Amz-Algorithm");

        if (authorization is not null && hasAlgorithmParameter)
        {
            throw S3Exception.With(
                S3Errors.InvalidArgument,
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
                ("ArgumentName", "Authorization"),
                ("ArgumentValue", authorization));
        }

        if (authorization is not null)
        {
            return await AuthenticateHeaderAsync(request, authorization, query, cancellationToken);
        }

        if (hasAlgorithmParameter)
        {
            return await AuthenticatePresignedAsync(request, query, cancellationToken);
        }

        // SigV2 query authentication (AWSAccessKeyId + Signature + Expires).
        if (query.Exists(p => p.Name == "AWSAccessKeyId") && query.Exists(p => p.Name == "Signature"))
        {
            throw new S3Exception(S3Errors.UnsupportedSignature);
        }

        return AuthenticationResult.Anonymous;
    }

    private async ValueTask<AuthenticationResult> AuthenticateHeaderAsync(
        SigningRequest request, string authorization, List<QueryParameter> query, CancellationToken cancellationToken)
    {
        var header = ParseAuthorization(authorization.Trim());
        if (request.Header("x-amz-security-token") is not null)
        {
            throw new S3Exception(S3Errors.InvalidToken, "Temporary security credentials (x-amz-security-token) are not supported.");
        }

        var (amzDate, requestTime) = ReadHeaderDate(request);
        var scope = ParseCredential(header.Credential, amzDate, Malformed);

        var skew = (request.Now - requestTime).Duration();
        if (skew > _options.MaxClockSkew)
        {
            throw S3Exception.With(
                S3Errors.RequestTimeTooSkewed,
                null,
                ("RequestTime", request.Header("x-amz-date") ?? request.Header("date") ?? amzDate),
                ("ServerTime", request.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                ("MaxAllowedSkewMilliseconds", ((long)_options.MaxClockSkew.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        }

        var payloadHash = request.Header("x-amz-content-sha256");
        if (payloadHash is null)
        {
            throw S3Exception.With(
                S3Errors.MissingSecurityHeader, "Your request is missing a required header: x-amz-content-sha256", ("MissingHeaderName", "x-amz-content-sha256"));
        }

        ValidatePayloadHash(payloadHash);
        var signedHeaders = ParseSignedHeaders(header.SignedHeaders, Malformed);
        var user = await FindUserAsync(scope.AccessKeyId, cancellationToken);

        var canonical = CanonicalRequest.Build(
            request.Method,
            CanonicalRequest.CanonicalUri(request.RawPath),
            CanonicalRequest.CanonicalQuery(query, excludedName: null),
            signedHeaders,
            request.Header,
            payloadHash);
        var signingKey = CanonicalRequest.DeriveSigningKey(user.SecretAccessKey, scope.Date, scope.Region, SigV4Constants.Service);
        VerifySignature(signingKey, amzDate, scope, canonical, header.Signature);

        var chunked = payloadHash is SigV4Constants.StreamingSignedPayload or SigV4Constants.StreamingSignedPayloadTrailer
            ? new ChunkSigningContext(signingKey, header.Signature.ToLowerInvariant(), scope.ToString(), amzDate)
            : null;
        return new AuthenticationResult(
            user.Identity, AuthenticationResult.SigV4, AuthenticationResult.AuthHeader, user.AccessKeyId, payloadHash, chunked);
    }

    private async ValueTask<AuthenticationResult> AuthenticatePresignedAsync(
        SigningRequest request, List<QueryParameter> query, CancellationToken cancellationToken)
    {
        string Parameter(string name) => query.Find(p => p.Name == name).Value;

        foreach (var name in PresignParameters)
        {
            if (!query.Exists(p => p.Name == name))
            {
                throw new S3Exception(
                    S3Errors.AuthorizationQueryParametersError,
                    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
            }
        }

        if (Parameter("X-Amz-Algorithm") != SigV4Constants.Algorithm)
        {
            throw new S3Exception(S3Errors.AuthorizationQueryParametersError, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }

        if (query.Exists(p => p.Name == "X-Amz-Security-Token") || request.Header("x-amz-security-token") is not null)
        {
            throw new S3Exception(S3Errors.InvalidToken, "Temporary security credentials (X-Amz-Security-Token) are not supported.");
        }

        var amzDate = Parameter("X-Amz-Date");
        if (!TryParseAmzDate(amzDate, out var requestTime))
        {
            throw new S3Exception(
                S3Errors.AuthorizationQueryParametersError,
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }

        if (!long.TryParse(Parameter("X-Amz-Expires"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expiresSeconds))
        {
            throw new S3Exception(S3Errors.AuthorizationQueryParametersError, "X-Amz-Expires should be a number");
        }

        if (expiresSeconds < 0)
        {
            throw new S3Exception(S3Errors.AuthorizationQueryParametersError, "X-Amz-Expires must be non-negative");
        }

        if (expiresSeconds > SigV4Constants.MaxPresignedExpirySeconds)
        {
            throw new S3Exception(
                S3Errors.AuthorizationQueryParametersError, "X-Amz-Expires must be less than a week (in seconds) that is 604800 seconds");
        }

        var scope = ParseCredential(Parameter("X-Amz-Credential"), amzDate, QueryError);
        var signedHeaders = ParseSignedHeaders(Parameter("X-Amz-SignedHeaders"), QueryError);
        var user = await FindUserAsync(scope.AccessKeyId, cancellationToken);

        var expires = requestTime.AddSeconds(expiresSeconds);
        var serverTime = request.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (request.Now > expires)
        {
            throw S3Exception.With(
                S3Errors.AccessDenied,
                "Request has expired",
                ("X-Amz-Expires", expiresSeconds.ToString(CultureInfo.InvariantCulture)),
                ("Expires", expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                ("ServerTime", serverTime));
        }

        if (requestTime - request.Now > _options.MaxClockSkew)
        {
            throw S3Exception.With(
                S3Errors.AccessDenied,
                "Request is not valid yet",
                ("X-Amz-Date", amzDate),
                ("ServerTime", serverTime));
        }

        // A presigned URL signs no payload unless the client also sent (and signed) the header.
        var payloadHash = request.Header("x-amz-content-sha256") ?? SigV4Constants.UnsignedPayload;
        ValidatePayloadHash(payloadHash);
        var canonical = CanonicalRequest.Build(
            request.Method,
            CanonicalRequest.CanonicalUri(request.RawPath),
            CanonicalRequest.CanonicalQuery(query, excludedName: "X-Amz-Signature"),
            signedHeaders,
            request.Header,
            payloadHash);
        var signingKey = CanonicalRequest.DeriveSigningKey(user.SecretAccessKey, scope.Date, scope.Region, SigV4Constants.Service);
        VerifySignature(signingKey, amzDate, scope, canonical, Parameter("X-Amz-Signature"));

        return new AuthenticationResult(
            user.Identity, AuthenticationResult.SigV4, AuthenticationResult.QueryString, user.AccessKeyId, payloadHash, Chunked: null, expires);
    }

    private async ValueTask<UserCredential> FindUserAsync(string accessKeyId, CancellationToken cancellationToken) =>
        await _credentials.FindByAccessKeyAsync(accessKeyId, cancellationToken)
        ?? throw S3Exception.With(S3Errors.InvalidAccessKeyId, null, ("AWSAccessKeyId", accessKeyId));

    private static void VerifySignature(byte[] signingKey, string amzDate, CredentialScope scope, string canonicalRequest, string provided)
    {
        var stringToSign = CanonicalRequest.StringToSign(amzDate, scope.ToString(), canonicalRequest);
        var computed = CanonicalRequest.Sign(signingKey, stringToSign);
        if (!CanonicalRequest.SignaturesEqual(computed, provided))
        {
            throw S3Exception.With(
                S3Errors.SignatureDoesNotMatch,
                null,
                ("AWSAccessKeyId", scope.AccessKeyId),
                ("StringToSign", stringToSign),
                ("SignatureProvided", provided),
                ("CanonicalRequest", canonicalRequest));
        }
    }

    private static (string AmzDate, DateTimeOffset Time) ReadHeaderDate(SigningRequest request)
    {
        var amzDate = request.Header("x-amz-date");
        if (amzDate is not null)
        {
            if (TryParseAmzDate(amzDate.Trim(), out var time))
            {
                return (amzDate.Trim(), time);
            }
        }
        else if (request.Header("date") is { } date
            && DateTimeOffset.TryParseExact(date.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var httpTime))
        {
            return (httpTime.UtcDateTime.ToString(SigV4Constants.AmzDateFormat, CultureInfo.InvariantCulture), httpTime);
        }

        throw new S3Exception(S3Errors.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
    }

    private static bool TryParseAmzDate(string value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            value, SigV4Constants.AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static void ValidatePayloadHash(string payloadHash)
    {
        var valid = payloadHash is SigV4Constants.UnsignedPayload
            || SigV4Constants.IsStreaming(payloadHash)
            || (payloadHash.Length == 64 && payloadHash.All(char.IsAsciiHexDigit));
        if (!valid)
        {
            throw S3Exception.With(
                S3Errors.InvalidArgument,
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
                ("ArgumentName", "x-amz-content-sha256"),
                ("ArgumentValue", payloadHash));
        }
    }

    private static AuthorizationHeader ParseAuthorization(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? authorization : authorization[..space];
        if (scheme != SigV4Constants.Algorithm)
        {
            // "AWS AKID:signature" is SigV2; AWS4-ECDSA-P256-SHA256 is SigV4a. Neither is supported.
            throw new S3Exception(S3Errors.UnsupportedSignature);
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var component in authorization[(space + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = component.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Malformed($"the authorization component \"{component}\" is malformed.");
            }

            var value = component[(equals + 1)..].Trim();
            switch (component[..equals].Trim())
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
                default: throw Malformed($"the authorization component \"{component}\" is malformed.");
            }
        }

        if (string.IsNullOrEmpty(credential) || string.IsNullOrEmpty(signedHeaders) || string.IsNullOrEmpty(signature))
        {
            throw Malformed("the authorization header requires three components: Credential, SignedHeaders, and Signature.");
        }

        return new AuthorizationHeader(credential, signedHeaders, signature);
    }

    private CredentialScope ParseCredential(string credential, string amzDate, Func<string, S3Exception> error)
    {
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts.Any(string.IsNullOrEmpty))
        {
            throw error($"the Credential is mal-formed; expecting {CredentialShape}.");
        }

        var scope = new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
        if (!amzDate.StartsWith(scope.Date, StringComparison.Ordinal) || scope.Date.Length != 8)
        {
            throw error("Invalid credential date. Date is not the same as X-Amz-Date.");
        }

        if (_options.Region is { } region && scope.Region != region)
        {
            var exception = error($"the region '{scope.Region}' is wrong; expecting '{region}'");
            throw new S3Exception(exception.Error, exception.Message, new Dictionary<string, string> { ["Region"] = region });
        }

        if (scope.Service != SigV4Constants.Service)
        {
            throw error($"incorrect service \"{scope.Service}\". This endpoint belongs to \"s3\".");
        }

        if (scope.Terminator != SigV4Constants.Terminator)
        {
            throw error($"incorrect terminal \"{scope.Terminator}\". This endpoint uses \"aws4_request\".");
        }

        return scope;
    }

    private static string[] ParseSignedHeaders(string value, Func<string, S3Exception> error)
    {
        var names = value.Split(';');
        if (names.Any(n => n.Length == 0 || n.Any(char.IsAsciiLetterUpper) || n.Any(char.IsWhiteSpace)))
        {
            throw error($"the SignedHeaders \"{value}\" are malformed; expecting lowercase names separated by ';'.");
        }

        if (!names.Contains("host", StringComparer.Ordinal))
        {
            throw error("the SignedHeaders must include host.");
        }

        return names;
    }

    private static S3Exception Malformed(string detail) =>
        new(S3Errors.AuthorizationHeaderMalformed, "The authorization header is malformed; " + detail);

    private static S3Exception QueryError(string detail) =>
        new(S3Errors.AuthorizationQueryParametersError, "Error parsing the X-Amz-Credential parameter; " + detail);

    private sealed record AuthorizationHeader(string Credential, string SignedHeaders, string Signature);

    private sealed record CredentialScope(string AccessKeyId, string Date, string Region, string Service, string Terminator)
    {
        public override string ToString() => $"{Date}/{Region}/{Service}/{Terminator}";
    }
}
