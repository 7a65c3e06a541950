namespace Tally.Security.SigV4;

/// <summary>The literal strings of the SigV4 protocol for S3.</summary>
public static class SigV4Constants
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Service = "s3";
    public const string Terminator = "aws4_request";
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingSignedPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /// <summary>SHA-256 of the empty string, hex: part of every chunk's string to sign.</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Presigned URLs may live at most 7 days.</summary>
    public const int MaxPresignedExpirySeconds = 604800;

    public static bool IsStreaming(string? payloadHash) =>
        payloadHash is StreamingSignedPayload or StreamingSignedPayloadTrailer or StreamingUnsignedPayloadTrailer;
}
