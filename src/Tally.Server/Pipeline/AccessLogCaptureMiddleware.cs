using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.Core.Requests;

namespace Tally.Server.Pipeline;

/// <summary>
/// The outermost S3 step (DESIGN §2): gives every request its ids and a typed capture of the facts
/// its access-log record is made of, so denied, malformed and failed requests are captured too.
/// When the response has completed it turns the capture into records, the one place that does
/// (STYLE §2.4), and hands them to the sink without waiting: logging never delays or fails a request.
/// </summary>
public sealed partial class AccessLogCaptureMiddleware(
    RequestDelegate next,
    TimeProvider time,
    IAccessLogSink sink,
    LoggingRegistry registry,
    CompletionBarrier barrier,
    ILogger<AccessLogCaptureMiddleware> logger)
{
    private static readonly Func<object, Task> OnStarting = static state =>
    {
        ((AccessLogCompletion)state).ResponseStarted();
        return Task.CompletedTask;
    };

    private static readonly Func<object, Task> OnCompleted = static state =>
    {
        ((AccessLogCompletion)state).Complete();
        return Task.CompletedTask;
    };

    public Task InvokeAsync(HttpContext http)
    {
        var capture = new AccessLogCapture
        {
            RequestId = RequestId.NewRequestId(),
            HostId = RequestId.NewHostId(),
            ReceivedAt = time.GetUtcNow(),
        };
        http.Features.Set(capture);
        var headers = http.Response.Headers;
        headers["x-amz-request-id"] = capture.RequestId;
        headers["x-amz-id-2"] = capture.HostId;
        headers.Server = "Tally";

        var body = new CountingResponseBody(http.Features.GetRequiredFeature<IHttpResponseBodyFeature>());
        http.Features.Set<IHttpResponseBodyFeature>(body);
        var completion = new AccessLogCompletion(this, time, http, capture, body, barrier.Enter());
        http.Features.Set(completion);
        if (http.Request.ContentLength > 0 || http.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            http.Request.Body = new RequestBodyTiming(http.Request.Body, completion);
        }

        http.Response.OnStarting(OnStarting, completion);
        http.Response.OnCompleted(OnCompleted, completion);
        return next(http);
    }

    internal void Emit(AccessLogCompletion completion)
    {
        try
        {
            foreach (var record in AccessLogRecords.From(completion, registry, time))
            {
                if (record.Bucket is not null && sink.IsLogged(record.Bucket))
                {
                    sink.Write(record);
                }
            }
        }
#pragma warning disable CA1031 // A logging bug must never fail the request or the connection; it is reported instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogEmitFailed(logger, e, completion.Capture.RequestId);
        }
        finally
        {
            barrier.Exit(completion.BarrierId);
        }
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Could not write the access-log record of request {RequestId}")]
    private static partial void LogEmitFailed(ILogger logger, Exception error, string requestId);
}

/// <summary>
/// The timing and byte facts of one request that only the middleware sees (receive, last request
/// byte, first response byte), plus what the completion callback needs. An HTTP feature so a
/// flush request can exclude itself from the <see cref="CompletionBarrier"/>.
/// </summary>
public sealed class AccessLogCompletion
{
    private readonly AccessLogCaptureMiddleware _middleware;
    private long _lastRequestByte;
    private long _firstResponseByte;

    internal AccessLogCompletion(AccessLogCaptureMiddleware middleware, TimeProvider time, HttpContext http, AccessLogCapture capture, CountingResponseBody body, long barrierId)
    {
        _middleware = middleware;
        Time = time;
        Started = time.GetTimestamp();
        Http = http;
        Capture = capture;
        Body = body;
        BarrierId = barrierId;
    }

    public HttpContext Http { get; }

    public AccessLogCapture Capture { get; }

    public CountingResponseBody Body { get; }

    /// <summary>TimeProvider timestamp of when the request was received.</summary>
    public long Started { get; }

    public long BarrierId { get; }

    /// <summary>Timestamp of the last request-body read (0: no body was read).</summary>
    public long LastRequestByte => Interlocked.Read(ref _lastRequestByte);

    /// <summary>Timestamp of the response start (0: never started).</summary>
    public long FirstResponseByte => Interlocked.Read(ref _firstResponseByte);

    /// <summary>Timestamp of completion, set just before the records are made.</summary>
    public long Completed { get; private set; }

    internal TimeProvider Time { get; }

    internal void RequestBodyRead() => Interlocked.Exchange(ref _lastRequestByte, Time.GetTimestamp());

    internal void ResponseStarted() => Interlocked.CompareExchange(ref _firstResponseByte, Time.GetTimestamp(), 0);

    internal void Complete()
    {
        Completed = Time.GetTimestamp();
        _middleware.Emit(this);
    }
}
