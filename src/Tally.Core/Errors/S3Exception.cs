namespace Tally.Core.Errors;

/// <summary>
/// The only way code reports an S3 error. The dispatcher renders it as the S3 XML error document;
/// extra elements (BucketName, Key, ArgumentName …) travel in <see cref="Details"/>.
/// </summary>
public sealed class S3Exception : Exception
{
    public S3Exception(S3Error error, string? message = null, IReadOnlyDictionary<string, string>? details = null)
        : base(message ?? error.Message)
    {
        Error = error;
        Details = details ?? new Dictionary<string, string>();
    }

    public S3Exception()
        : this(S3Errors.InternalError)
    {
    }

    public S3Exception(string message)
        : this(S3Errors.InternalError, message)
    {
    }

    public S3Exception(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = S3Errors.InternalError;
        Details = new Dictionary<string, string>();
    }

    public S3Error Error { get; }

    public IReadOnlyDictionary<string, string> Details { get; }

    public static S3Exception With(S3Error error, string? message = null, params (string Name, string Value)[] details) =>
        new(error, message, details.ToDictionary(d => d.Name, d => d.Value, StringComparer.Ordinal));
}
