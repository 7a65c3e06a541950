using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tally.AccessLogs.Delivery;
using Tally.Core.Errors;
using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Execution;
using Tally.Server.Pipeline;
using Tally.Storage;

namespace Tally.Server.Admin;

/// <summary>
/// The admin API under <c>/_tally/</c> (STYLE §2.4): not S3 and never access-logged ('_' cannot
/// start a bucket name, so it cannot collide). Every call needs <c>Authorization: Bearer TOKEN</c>
/// (<see cref="AdminToken"/>).
/// <list type="bullet">
/// <item><c>GET /_tally/logs/status</c>: the spool and every source bucket's delivery, as JSON.</item>
/// <item><c>POST /_tally/logs/flush[?bucket=B]</c>: seal and deliver now; the objects written.</item>
/// <item><c>GET /_tally/logs/tail?bucket=B</c>: the bucket's log lines as they are spooled (streamed).</item>
/// <item><c>POST /_tally/logging/enable</c> {source, target, prefix?, partitioned?, coldAfterDays?, expireAfterDays?}: `tally logging enable`.</item>
/// <item><c>GET /_tally/lifecycle/status</c>: today's lifecycle date, the next daily run, what the last run did.</item>
/// <item><c>POST /_tally/lifecycle/run[?as-of=YYYY-MM-DD][&amp;dry-run=true]</c>: `tally lifecycle run` on the running server; what it did (or would do).</item>
/// </list>
/// </summary>
public static class AdminEndpoints
{
    public const string PathBase = "/_tally";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void UseTallyAdmin(this IApplicationBuilder admin) => admin.Run(HandleAsync);

    private static async Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        if (!services.GetRequiredService<AdminToken>().Accepts(http.Request.Headers.Authorization.ToString()))
        {
            await ProblemAsync(http, StatusCodes.Status401Unauthorized, "The admin API needs 'Authorization: Bearer TOKEN' with the token in DATA/admin.json.");
            return;
        }

        var path = http.Request.Path.Value ?? string.Empty;
        var bucket = http.Request.Query.TryGetValue("bucket", out var b) && b.Count > 0 && !string.IsNullOrEmpty(b[0]) ? b[0] : null;
        try
        {
            switch (http.Request.Method, path)
            {
                case ("GET", "/logs/status"):
                    await WriteJsonAsync(http, await LogRetention.AddToAsync(services.GetRequiredService<LogSpool>().Status(), services.GetRequiredService<LifecycleSettings>(), http.RequestAborted));
                    break;
                case ("POST", "/logs/flush"):
                    await services.GetRequiredService<CompletionBarrier>().WaitAsync(null, TimeSpan.FromSeconds(2), http.RequestAborted);
                    await WriteJsonAsync(http, await services.GetRequiredService<LogDeliveryWorker>().FlushAsync(bucket, http.RequestAborted));
                    break;
                case ("GET", "/logs/tail") when bucket is not null:
                    await TailAsync(http, services.GetRequiredService<LogSpool>(), bucket);
                    break;
                case ("POST", "/logging/enable"):
                    var request = await JsonSerializer.DeserializeAsync<LoggingSetupRequest>(http.Request.Body, Json, http.RequestAborted);
                    if (request is null || string.IsNullOrEmpty(request.Source) || string.IsNullOrEmpty(request.Target))
                    {
                        await ProblemAsync(http, StatusCodes.Status400BadRequest, "Expected {\"source\": \"…\", \"target\": \"…\", \"prefix\": \"…\"?, \"partitioned\": false}.");
                        return;
                    }

                    await WriteJsonAsync(http, await services.GetRequiredService<LoggingSetup>().EnableAsync(request, http.RequestAborted));
                    break;
                case ("GET", "/lifecycle/status"):
                    await WriteJsonAsync(http, await LifecycleStatus.ReadAsync(services.GetRequiredService<LifecycleRunner>(), services.GetRequiredService<LifecycleSettings>(), services.GetRequiredService<TimeProvider>(), http.RequestAborted));
                    break;
                case ("POST", "/lifecycle/run"):
                    DateOnly? asOf = null;
                    if (http.Request.Query.TryGetValue("as-of", out var asOfText) && !string.IsNullOrEmpty(asOfText))
                    {
                        if (!DateOnly.TryParseExact(asOfText.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                        {
                            await ProblemAsync(http, StatusCodes.Status400BadRequest, $"as-of expects YYYY-MM-DD (got '{asOfText}').");
                            return;
                        }

                        asOf = parsed;
                    }

                    var runner = services.GetRequiredService<LifecycleRunner>();
                    var dryRun = http.Request.Query.TryGetValue("dry-run", out var dry) && string.Equals(dry.ToString(), "true", StringComparison.OrdinalIgnoreCase);
                    await WriteJsonAsync(http, dryRun
                        ? await LifecycleRunResult.PreviewAsync(runner, asOf, http.RequestAborted)
                        : await LifecycleRunResult.RunAsync(runner, services.GetRequiredService<ILifecycleStore>(), asOf, http.RequestAborted));
                    break;
                default:
                    await ProblemAsync(http, StatusCodes.Status404NotFound, $"No admin endpoint {http.Request.Method} {PathBase}{path}.");
                    break;
            }
        }
        catch (S3Exception e)
        {
            await ProblemAsync(http, e.Error.HttpStatus, $"{e.Error.Code}: {e.Message}");
        }
        catch (JsonException e)
        {
            await ProblemAsync(http, StatusCodes.Status400BadRequest, e.Message);
        }
        catch (IOException e) when (!http.RequestAborted.IsCancellationRequested)
        {
            await ProblemAsync(http, StatusCodes.Status503ServiceUnavailable, e.Message);
        }
    }

    private static async Task TailAsync(HttpContext http, LogSpool spool, string bucket)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.StartAsync(http.RequestAborted);
        var lines = spool.Tail(bucket, http.RequestAborted);
        try
        {
            await foreach (var line in lines.ReadAllAsync(http.RequestAborted))
            {
                await http.Response.WriteAsync(line + "\n", Encoding.UTF8, http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client stopped tailing.
        }
    }

    private static async Task WriteJsonAsync<T>(HttpContext http, T value)
    {
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, Json, http.RequestAborted);
    }

    private static Task ProblemAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        return WriteJsonAsync(http, new { error });
    }
}
