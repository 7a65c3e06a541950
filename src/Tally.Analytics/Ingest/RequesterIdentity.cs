namespace Tally.Analytics.Ingest;

/// <summary>
/// The Requester field split into its parts (spec §8): <c>arn:aws:iam::ACCOUNT:user/NAME</c>,
/// <c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c>, <c>arn:aws:sts::ACCOUNT:federated-user/NAME</c>,
/// <c>arn:aws:iam::ACCOUNT:root</c>, a 64-hex canonical user id, <c>AmazonS3</c> / <c>svc:…</c>
/// (S3 itself, AWS services) or <c>-</c> (anonymous).
/// </summary>
public sealed record RequesterIdentity(string Type, string? Account, string? User, string? Role, string? Session)
{
    private static readonly RequesterIdentity Anonymous = new("anonymous", null, null, null, null);

    public static RequesterIdentity? Parse(string? requester)
    {
        if (requester is null)
        {
            return null;
        }

        if (requester is "-" or "Anonymous")
        {
            return Anonymous;
        }

        if (requester.StartsWith("arn:", StringComparison.Ordinal))
        {
            // arn:partition:service:region:account:resource
            var parts = requester.Split(':', 6);
            if (parts.Length == 6)
            {
                var account = parts[4].Length > 0 ? parts[4] : null;
                var resource = parts[5];
                var segments = resource.Split('/');
                return segments[0] switch
                {
                    "user" => new("iam-user", account, segments[^1], null, null),
                    "assumed-role" when segments.Length >= 2 => new("assumed-role", account, null, segments[1], segments.Length >= 3 ? string.Join('/', segments[2..]) : null),
                    "federated-user" => new("federated-user", account, segments[^1], null, null),
                    "root" => new("root", account, null, null, null),
                    "role" when segments.Length >= 2 => new("role", account, null, segments[^1], null),
                    _ => new("other", account, null, null, null),
                };
            }

            return new("other", null, null, null, null);
        }

        if (requester.Length == 64 && requester.All(char.IsAsciiHexDigitLower))
        {
            return new("canonical-user", null, null, null, null);
        }

        if (requester == "AmazonS3" || requester.StartsWith("svc:", StringComparison.Ordinal))
        {
            return new("service", null, null, null, null);
        }

        return new("other", null, null, null, null);
    }
}
