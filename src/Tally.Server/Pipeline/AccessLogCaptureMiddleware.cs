using Microsoft.AspNetCore.Http;
using Tally.Core.Requests;

namespace Tally.Server.Pipeline;

/// <summary>
/// The outermost S3 step (DESIGN §2): gives every request its ids and a typed capture of the facts
/// its access-log record is made of, so denied, malformed and failed requests are captured too.
/// </summary>
public sealed class AccessLogCaptureMiddleware(RequestDelegate next, TimeProvider time)
{
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
        return next(http);
    }
}
