using Microsoft.Extensions.Hosting;
using Tally.AccessLogs.Delivery;

namespace Tally.Server.Background;

/// <summary>The host's shell around <see cref="LogDeliveryWorker.RunAsync"/>: delivers sealed log segments in the background.</summary>
public sealed class LogDeliveryService(LogDeliveryWorker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}
