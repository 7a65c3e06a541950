using System.CommandLine;
using Tally.Server.Admin;

namespace Tally.Cli.Commands;

/// <summary>`tally logging enable`: the one-line, least-privilege logging setup, done by the running server.</summary>
internal static class LoggingCommand
{
    public static Command Create()
    {
        var command = new Command("logging", "Configure server access logging of buckets");
        command.Subcommands.Add(Enable());
        return command;
    }

    private static Command Enable()
    {
        var source = new Argument<string>("SOURCE") { Description = "Bucket whose requests to log" };
        var target = new Option<string>("--target") { Description = "Bucket receiving the log objects (created if missing: same owner, same region)", Required = true };
        var prefix = new Option<string?>("--prefix") { Description = "Key prefix of the log objects (default: SOURCE/)" };
        var partitioned = new Option<bool>("--partitioned") { Description = "Date-partitioned keys: PREFIX<account>/<region>/<bucket>/YYYY/MM/DD/… (PartitionedPrefix, EventTime)" };
        var coldAfter = CommonOptions.Days("--cold-after", "Move the log objects to a cold storage class this many days after delivery (lifecycle rule on the target; STANDARD_IA from 30d, GLACIER_IR below)");
        var expireAfter = CommonOptions.Days("--expire-after", "Delete the log objects this many days after delivery (lifecycle rule on the target)");
        var admin = new AdminConnectionOptions();
        var command = new Command("enable", "Create the target if needed, allow log delivery into it and enable logging") { source, target, prefix, partitioned, coldAfter, expireAfter };
        admin.AddTo(command);
        command.SetAction((result, ct) => admin.RunAsync(result, async client =>
        {
            var request = new LoggingSetupRequest(result.GetRequiredValue(source), result.GetRequiredValue(target), result.GetValue(prefix), result.GetValue(partitioned), result.GetValue(coldAfter), result.GetValue(expireAfter));
            var done = await client.SendAsync<LoggingSetupResult>(HttpMethod.Post, "_tally/logging/enable", request, ct);
            if (done!.TargetCreated)
            {
                Console.WriteLine($"created bucket {done.Target}");
            }

            if (done.PolicyWritten)
            {
                Console.WriteLine($"bucket policy of {done.Target} allows logging.s3.amazonaws.com to s3:PutObject under {done.Prefix} for {done.Source}");
            }

            Console.WriteLine($"logging {done.Source} to s3://{done.Target}/{done.Prefix}{(done.Partitioned ? " (partitioned by event day)" : string.Empty)}");
            if (done.Retention is { } retention)
            {
                Console.WriteLine($"lifecycle rule {retention.RuleId} on {retention.TargetBucket}: {retention.Prefix}* {retention.Summary}");
            }

            return 0;
        }));
        return command;
    }
}
