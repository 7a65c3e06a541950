namespace Tally.Core.Errors;

/// <summary>One entry of the S3 error catalogue: AWS's code, HTTP status and default message.</summary>
public sealed record S3Error(string Code, int HttpStatus, string Message);
