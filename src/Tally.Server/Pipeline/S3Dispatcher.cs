using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Tally.Core.Errors;
using Tally.Core.Naming;
using Tally.S3.Operations;
using Tally.Security.SigV4;
using Tally.Server.Hosting;
using Tally.Server.Operations;
using Tally.Server.Operations.Access;

namespace Tally.Server.Pipeline;

/// <summary>
/// The terminal S3 step (STYLE §2.4): resolve the operation from the one table, authenticate,
/// load the bucket, authorize, run the handler, and render any S3Exception.
/// </summary>
public sealed partial class S3Dispatcher(TallyServices services, RequestAuthenticator authenticator, ILogger<S3Dispatcher> logger)
{
    private readonly RequestAuthorization _authorization = new(services, logger);

    public async Task HandleAsync(HttpContext http)
    {
        var capture = http.Features.GetRequiredFeature<AccessLogCapture>();
        var rawTarget = http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var resource = rawTarget;
        try
        {
            var address = S3Address.Parse(rawTarget, http.Request.Host.Host, services.Options.Domain);
            resource = Uri.UnescapeDataString(address.RawPath);
            capture.Bucket = address.Bucket;
            capture.Key = address.Key;

            var operation = S3Operations.Resolve(
                http.Request.Method,
                address.Target,
                http.Request.Query.ContainsKey,
                http.Request.Headers.ContainsKey);
            capture.Operation = operation;

            AuthenticationResult authentication;
            try
            {
                authentication = await authenticator.AuthenticateAsync(http, address, http.RequestAborted);
            }
            catch (S3Exception rejected)
            {
                var presented = await authenticator.DescribeRejectedAsync(http, rejected, http.RequestAborted);
                capture.Requester = presented.Identity?.Requester;
                capture.SignatureVersion = presented.SignatureVersion;
                capture.AuthenticationType = presented.AuthType;
                throw;
            }

            capture.Requester = authentication.Identity?.Requester;
            capture.SignatureVersion = authentication.SignatureVersion;
            capture.AuthenticationType = authentication.AuthType;
            http.Features.Set(authentication);

            var bucketInfo = address.Bucket is null || operation == S3Operations.CreateBucket
                ? null
                : await services.Store.GetBucketAsync(address.Bucket, http.RequestAborted);
            capture.BucketOwner = bucketInfo?.OwnerCanonicalId;

            var context = new S3RequestContext
            {
                Http = http,
                Operation = operation,
                Address = address,
                Capture = capture,
                Services = services,
                Identity = authentication.Identity,
                BucketInfo = bucketInfo,
            };
            await AuthorizeAsync(context);
            if (address.Key is not null)
            {
                ObjectKey.Validate(address.Key);
            }

            await S3Handlers.For(operation)(context);
            CloseIfContinueWasNotSent(http, failed: false);
        }
        catch (S3Exception error)
        {
            LogS3Error(logger, capture.RequestId, error.Error.Code, error.Message);
            CloseIfContinueWasNotSent(http, failed: true);
            await S3ErrorWriter.WriteAsync(http, error, capture, resource);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to send. The access log still records the request.
        }
        catch (BadHttpRequestException error)
        {
            LogS3Error(logger, capture.RequestId, "BadRequest", error.Message);
            await S3ErrorWriter.WriteAsync(http, new S3Exception(S3Errors.IncompleteBody), capture, resource);
        }
#pragma warning disable CA1031 // The dispatcher is the last line: any bug becomes InternalError, never a dropped connection.
        catch (Exception error)
#pragma warning restore CA1031
        {
            LogUnhandled(logger, error, capture.RequestId);
            await S3ErrorWriter.WriteAsync(http, new S3Exception(S3Errors.InternalError), capture, resource);
        }
    }

    /// <summary>
    /// A client that sent Expect: 100-continue and got a final answer without "100 Continue"
    /// (an error before the body was read, or an empty body Kestrel never asks for) may keep
    /// state about that exchange: botocore then misreads the next response on the same
    /// connection and hangs. S3 closes such connections; so do we.
    /// </summary>
    private static void CloseIfContinueWasNotSent(HttpContext http, bool failed)
    {
        var request = http.Request;
        if (!http.Response.HasStarted
            && request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)
            && (failed || request.ContentLength == 0))
        {
            http.Response.Headers.Connection = "close";
        }
    }

    /// <summary>
    /// Who may do what (issue #4): the bucket must exist with the expected owner, and the
    /// operation's IAM action must be allowed by identity policy, bucket policy or ACL as AWS
    /// evaluates them (<see cref="RequestAuthorization"/>, <see cref="Security.Authorizer"/>).
    /// </summary>
    private Task AuthorizeAsync(S3RequestContext context) => _authorization.AuthorizeAsync(context);

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Request {RequestId} failed with {Code}: {Reason}")]
    private static partial void LogS3Error(ILogger logger, string requestId, string code, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Request {RequestId} failed with an unhandled error")]
    private static partial void LogUnhandled(ILogger logger, Exception error, string requestId);
}
