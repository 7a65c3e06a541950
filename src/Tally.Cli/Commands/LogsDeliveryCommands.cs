using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tally.AccessLogs.Delivery;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally logs flush|status|tail</c>: delivery of server access logs by a running server,
/// through its admin API (<see cref="AdminClient"/>).
/// </summary>
internal static class LogsDeliveryCommands
{
    public static Command Flush()
    {
        var bucket = new Argument<string?>("BUCKET") { Description = "Source bucket to flush (default: every bucket)", Arity = ArgumentArity.ZeroOrOne };
        var admin = new AdminConnectionOptions();
        var command = new Command("flush", "Deliver every pending access-log record now; prints the log objects written") { bucket };
        admin.AddTo(command);
        command.SetAction((result, ct) => admin.RunAsync(result, async client =>
        {
            var name = result.GetValue(bucket);
            var path = name is null ? "_tally/logs/flush" : $"_tally/logs/flush?bucket={Uri.EscapeDataString(name)}";
            var report = await client.SendAsync<DeliveryReport>(HttpMethod.Post, path, null, ct);
            foreach (var delivered in report?.Delivered ?? [])
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"s3://{delivered.TargetBucket}/{delivered.Key}\t{delivered.Records} records of {delivered.SourceBucket}"));
            }

            foreach (var error in report?.Errors ?? [])
            {
                await Console.Error.WriteLineAsync("not delivered: " + error);
            }

            // 3: some logs could not be delivered (they stay pending; see `tally logs status`).
            return report?.Errors.Count > 0 ? 3 : 0;
        }));
        return command;
    }

    public static Command Status() => AdminConnectionOptions.StatusCommand<SpoolStatus>(
        "Per source bucket: target, records pending, last delivery, last error; each target's lifecycle rules",
        "_tally/logs/status",
        status =>
        {
            Render(status);
            return status.SpoolError is null ? 0 : 3;
        });

    public static Command Tail()
    {
        var bucket = new Argument<string>("BUCKET") { Description = "Source bucket whose log lines to print as they are written" };
        var admin = new AdminConnectionOptions();
        var command = new Command("tail", "Print a bucket's access-log lines live (the lines that will be delivered); Ctrl+C stops") { bucket };
        admin.AddTo(command);
        command.SetAction((result, ct) => admin.RunAsync(
            result,
            async client =>
            {
                try
                {
                    await using var stream = await client.OpenStreamAsync($"_tally/logs/tail?bucket={Uri.EscapeDataString(result.GetRequiredValue(bucket))}", ct);
                    using var reader = new StreamReader(stream);
                    while (await reader.ReadLineAsync(ct) is { } line)
                    {
                        Console.WriteLine(line);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl+C.
                }

                return 0;
            },
            Timeout.InfiniteTimeSpan));
        return command;
    }

    private static void Render(SpoolStatus status)
    {
        var table = new Table().AddColumns("Source", "Logging", "Target", "Pending", "Segments", "Delivered", "Dropped", "Last delivery", "Last error");
        foreach (var b in status.Buckets)
        {
            table.AddRow(
                Markup.Escape(b.SourceBucket),
                b.LoggingEnabled ? "on" : "off",
                Markup.Escape(b.TargetBucket is null ? "-" : $"s3://{b.TargetBucket}/{b.TargetPrefix}"),
                b.RecordsPending.ToString(CultureInfo.InvariantCulture),
                b.SegmentsPending.ToString(CultureInfo.InvariantCulture),
                b.RecordsDelivered.ToString(CultureInfo.InvariantCulture),
                b.RecordsDropped.ToString(CultureInfo.InvariantCulture),
                b.LastDeliveryAt is { } at ? Markup.Escape($"{at:u} {b.LastDeliveredKey}") : "-",
                b.LastError is null ? "-" : $"[red]{Markup.Escape(b.LastError)}[/]" + (b.NextAttemptAt is { } next ? Markup.Escape($" (retry {next:u})") : string.Empty));
        }

        AnsiConsole.Write(table);
        RenderRetention(status);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"queue {status.QueueLength}/{status.QueueCapacity}, dropped {status.RecordsDropped}")));
        if (status.SpoolError is not null)
        {
            AnsiConsole.MarkupLine($"[red]spool cannot write: {Markup.Escape(status.SpoolError)} (since {status.SpoolErrorAt:u})[/]");
        }
    }

    /// <summary>The lifecycle rules of each target; a target without one grows forever, which is said.</summary>
    private static void RenderRetention(SpoolStatus status)
    {
        var targets = status.Buckets.Select(b => b.TargetBucket).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Target", "Lifecycle rule", "Prefix", "Cold after", "Expire after", "Actions");
        foreach (var target in targets)
        {
            var rules = status.Retention.Where(r => string.Equals(r.TargetBucket, target, StringComparison.Ordinal)).ToList();
            if (rules.Count == 0)
            {
                table.AddRow(Markup.Escape(target), "[yellow]none[/]", "-", "-", "-", "[yellow]grows without limit: tally logging enable … --expire-after 365d[/]");
                continue;
            }

            foreach (var rule in rules)
            {
                table.AddRow(
                    Markup.Escape(target),
                    Markup.Escape(rule.RuleId) + (rule.Enabled ? string.Empty : " (disabled)"),
                    Markup.Escape(string.IsNullOrEmpty(rule.Prefix) ? "(whole bucket)" : rule.Prefix),
                    rule.ColdAfterDays is { } cold ? Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{cold}d → {rule.ColdStorageClass}")) : "-",
                    rule.ExpireAfterDays is { } expire ? string.Create(CultureInfo.InvariantCulture, $"{expire}d") : "-",
                    Markup.Escape(rule.Summary));
            }
        }

        AnsiConsole.Write(table);
    }
}
