using Tally.Core.Identity;

namespace Tally.Security.SigV4;

/// <summary>
/// The outcome of authentication: who signed, and how (the access log's Requester, Signature
/// Version and Authentication Type fields, spec §8). <see cref="Identity"/> null = anonymous.
/// </summary>
/// <param name="Identity">The signer; null for an anonymous request.</param>
/// <param name="SignatureVersion">"SigV4", or null when anonymous.</param>
/// <param name="AuthType">"AuthHeader" or "QueryString", or null when anonymous.</param>
/// <param name="AccessKeyId">The access key that signed.</param>
/// <param name="PayloadHash">The payload hash the signature covers: the x-amz-content-sha256 value
/// (64 hex, UNSIGNED-PAYLOAD or a STREAMING-* mode), or UNSIGNED-PAYLOAD for a presigned URL without one.</param>
/// <param name="Chunked">Set for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: what the chunk signatures chain from.</param>
/// <param name="Expires">For a presigned URL, when it stops being valid.</param>
public sealed record AuthenticationResult(
    S3Identity? Identity,
    string? SignatureVersion,
    string? AuthType,
    string? AccessKeyId,
    string? PayloadHash = null,
    ChunkSigningContext? Chunked = null,
    DateTimeOffset? Expires = null)
{
    public const string SigV4 = "SigV4";
    public const string AuthHeader = "AuthHeader";
    public const string QueryString = "QueryString";

    public static AuthenticationResult Anonymous { get; } = new(null, null, null, null);

    public bool IsAnonymous => Identity is null;
}

/// <summary>
/// The signing facts a signed aws-chunked body needs: each chunk's signature is an HMAC with
/// <see cref="SigningKey"/> over a string that includes the previous signature, starting with
/// <see cref="SeedSignature"/> (the request's own signature).
/// </summary>
public sealed record ChunkSigningContext(byte[] SigningKey, string SeedSignature, string Scope, string AmzDate);
