using Microsoft.AspNetCore.Http;
using Tally.Core.Errors;
using Tally.Security.Payloads;
using Tally.Security.SigV4;

namespace Tally.Server.Pipeline;

/// <summary>
/// The request body as handlers must read it: aws-chunked decoded, signatures of chunks checked,
/// and Content-MD5 / x-amz-checksum-* / x-amz-content-sha256 / Content-Length verified when the
/// last byte has been read (a mismatch throws before anything is committed).
/// </summary>
public sealed class RequestBody : IAsyncDisposable
{
    private RequestBody(Stream stream, Func<IReadOnlyDictionary<string, string>> checksums)
    {
        Stream = stream;
        Checksums = checksums;
    }

    public Stream Stream { get; }

    /// <summary>The verified checksums (algorithm → base64), valid once <see cref="Stream"/> is at its end.</summary>
    public Func<IReadOnlyDictionary<string, string>> Checksums { get; }

    public static RequestBody OpenVerified(S3RequestContext context)
    {
        var request = context.Request;
        if (request.ContentLength is null && !IsChunked(request))
        {
            throw new S3Exception(S3Errors.MissingContentLength);
        }

        var headers = request.Headers;
        var verifying = VerifyingStream.FromHeaders(
            request.Body,
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null,
            context.Http.Features.Get<AuthenticationResult>());
        return new RequestBody(verifying, () => verifying.Checksums);
    }

    /// <summary>Reads a small document body (XML) whole, verified; larger than <paramref name="maxBytes"/> is rejected.</summary>
    public static async Task<byte[]> ReadAllAsync(S3RequestContext context, int maxBytes, bool checksumRequired = false)
    {
        if (checksumRequired && context.Header("Content-MD5") is null && !context.Request.Headers.Keys.Any(k => k.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase)) && !IsChunked(context.Request))
        {
            throw new S3Exception(S3Errors.InvalidRequest, "Missing required header for this request: Content-MD5.");
        }

        if (context.Request.ContentLength > maxBytes)
        {
            throw new S3Exception(S3Errors.MalformedXML);
        }

        await using var body = OpenVerifiedOrEmpty(context);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.Stream.ReadAsync(chunk, context.Aborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new S3Exception(S3Errors.MalformedXML);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Answers x-amz-checksum-* for the algorithms the client asked about.</summary>
#pragma warning disable CA1822 // Instance member: which checksums to answer depends on what this body was asked to verify.
    public void WriteChecksumHeaders(IHeaderDictionary headers, IReadOnlyDictionary<string, string> stored)
    {
        foreach (var (algorithm, value) in stored)
        {
            headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = value;
        }
    }
#pragma warning restore CA1822

    public ValueTask DisposeAsync() => Stream.DisposeAsync();

    private static RequestBody OpenVerifiedOrEmpty(S3RequestContext context) =>
        context.Request.ContentLength is null && !IsChunked(context.Request)
            ? new RequestBody(Stream.Null, () => new Dictionary<string, string>())
            : OpenVerified(context);

    private static bool IsChunked(HttpRequest request) =>
        request.Headers.TryGetValue("x-amz-content-sha256", out var sha) && sha.ToString().StartsWith("STREAMING-", StringComparison.Ordinal)
        || request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase);
}
