using System.Security.Cryptography;

namespace Tally.Core.Requests;

/// <summary>AWS-shaped request identifiers: x-amz-request-id (16 upper-hex) and x-amz-id-2 (base64).</summary>
public static class RequestId
{
    public static string NewRequestId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    public static string NewHostId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(57));
}
