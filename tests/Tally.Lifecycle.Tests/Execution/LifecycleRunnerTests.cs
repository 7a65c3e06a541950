using Tally.Lifecycle.Evaluation;
using Tally.Lifecycle.Execution;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Tests.Execution;

/// <summary>The engine with a fake clock and a real store and log spool.</summary>
public sealed class LifecycleRunnerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Objects are written at 10:30 UTC, so Days N is due at midnight N+1 days later.
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Objects_expire_on_the_due_midnight_and_not_the_moment_before()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter><Prefix>tmp/</Prefix></Filter>", "<Expiration><Days>3</Days></Expiration>"));
        var put = await h.PutAsync("tmp/a.jpg", "abcdef");
        _ = await h.PutAsync("keep/b.jpg");

        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 4, 23, 59, 59, TimeSpan.Zero));
        var before = await h.RunAsync();
        Assert.True(before.Ran);
        Assert.Equal(0, before.Counters.Expired);
        Assert.Equal(["keep/b.jpg", "tmp/a.jpg"], await h.KeysAsync());

        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero));
        var due = await h.RunAsync();
        Assert.Equal(new DateOnly(2024, 3, 5), due.Date);
        Assert.Equal(1, due.Counters.Expired);
        Assert.Equal(["keep/b.jpg"], await h.KeysAsync());

        var record = Assert.Single(await h.LoggedAsync());
        Assert.Equal("S3.EXPIRE.OBJECT", record.Operation);
        Assert.Equal("AmazonS3", record.Requester);
        Assert.Equal("tmp/a.jpg", record.Key);
        Assert.Equal(put.Size, record.ObjectSize);
        Assert.Equal(EngineHarness.Owner, record.BucketOwner);
        Assert.Equal(EngineHarness.Bucket, record.Bucket);
        Assert.Null(record.RequestUri);
        Assert.Null(record.HttpStatus);
        Assert.Null(record.VersionId);
        Assert.Equal(16, record.RequestId!.Length);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero), record.Time);
    }

    [Fact]
    public async Task Runs_once_per_lifecycle_day()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>"));
        _ = await h.PutAsync("a");

        Assert.True((await h.RunAsync()).Ran);
        Assert.False((await h.RunAsync()).Ran);
        h.Time.Advance(TimeSpan.FromHours(14));
        var nextDay = await h.RunAsync();
        Assert.True(nextDay.Ran);
        Assert.Equal(0, nextDay.Counters.Expired);
        h.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await h.RunAsync()).Counters.Expired);
    }

    [Fact]
    public async Task Versioned_bucket_gets_a_delete_marker_then_loses_the_noncurrent_version_then_the_marker()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.Store.PutBucketVersioningAsync(EngineHarness.Bucket, VersioningStatus.Enabled, None);
        await h.PutRulesAsync(
            Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays></NoncurrentVersionExpiration>", "current"),
            Rule("<Filter><Prefix></Prefix></Filter>", "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>", "markers"));
        var put = await h.PutAsync("k", "version one");

        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 3, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, (await h.RunAsync()).Counters.DeleteMarkersCreated);
        var stack = (await h.Store.ListKeyVersionsAsync(EngineHarness.Bucket, null, null, 10, None)).Keys.Single().Versions;
        Assert.True(stack[0].IsDeleteMarker);
        Assert.Equal(put.VersionId, stack[1].VersionId);

        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero));
        var notYet = await h.RunAsync();
        Assert.Equal(0, notYet.Counters.NoncurrentExpired + notYet.Counters.DeleteMarkersCreated);

        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, (await h.RunAsync()).Counters.NoncurrentExpired);

        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 6, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, (await h.RunAsync()).Counters.DeleteMarkersRemoved);
        Assert.Empty((await h.Store.ListKeyVersionsAsync(EngineHarness.Bucket, null, null, 10, None)).Keys);

        var records = await h.LoggedAsync();
        Assert.Equal(["S3.CREATE.DELETEMARKER", "S3.EXPIRE.OBJECT", "S3.EXPIRE.OBJECT"], records.Select(r => r.Operation));
        Assert.Equal(stack[0].VersionId, records[0].VersionId);
        Assert.Equal(put.VersionId, records[1].VersionId);
        Assert.Equal(put.Size, records[1].ObjectSize);
        Assert.Equal(stack[0].VersionId, records[2].VersionId);
        Assert.Null(records[2].ObjectSize);
        Assert.All(records, r => Assert.Equal("AmazonS3", r.Requester));
    }

    [Fact]
    public async Task Suspended_bucket_expiration_replaces_the_null_version_with_a_null_delete_marker()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.Store.PutBucketVersioningAsync(EngineHarness.Bucket, VersioningStatus.Enabled, None);
        var kept = await h.PutAsync("k", "versioned");
        await h.Store.PutBucketVersioningAsync(EngineHarness.Bucket, VersioningStatus.Suspended, None);
        _ = await h.PutAsync("k", "null version");
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>"));

        h.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await h.RunAsync()).Counters.DeleteMarkersCreated);

        var stack = (await h.Store.ListKeyVersionsAsync(EngineHarness.Bucket, null, null, 10, None)).Keys.Single().Versions;
        Assert.Equal([("null", true), (kept.VersionId, false)], stack.Select(v => (v.VersionId, v.IsDeleteMarker)));
        var record = Assert.Single(await h.LoggedAsync());
        Assert.Equal("S3.CREATE.DELETEMARKER", record.Operation);
        Assert.Equal("null", record.VersionId);
    }

    [Fact]
    public async Task Noncurrent_versions_transition_and_name_their_version_in_the_record()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.Store.PutBucketVersioningAsync(EngineHarness.Bucket, VersioningStatus.Enabled, None);
        await h.PutRulesAsync(Rule("<Filter><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan></Filter>", "<NoncurrentVersionTransition><NoncurrentDays>5</NoncurrentDays><StorageClass>DEEP_ARCHIVE</StorageClass></NoncurrentVersionTransition>"));
        var old = await h.PutAsync("k", "old");
        _ = await h.PutAsync("k", "new");

        h.Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(1, (await h.RunAsync()).Counters.Transitioned);

        Assert.Equal("DEEP_ARCHIVE", (await h.Store.HeadObjectAsync(EngineHarness.Bucket, "k", old.VersionId, None)).StorageClass);
        Assert.Equal("STANDARD", (await h.Store.HeadObjectAsync(EngineHarness.Bucket, "k", None)).StorageClass);
        var record = Assert.Single(await h.LoggedAsync());
        Assert.Equal("S3.TRANSITION_GDA.OBJECT", record.Operation);
        Assert.Equal(old.VersionId, record.VersionId);
        Assert.Equal(3, record.ObjectSize);
    }

    [Fact]
    public async Task Newer_noncurrent_versions_are_kept_and_older_ones_expire()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.Store.PutBucketVersioningAsync(EngineHarness.Bucket, VersioningStatus.Enabled, None);
        await h.PutRulesAsync(Rule("<Filter/>", "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>"));
        var versions = new List<ObjectInfo>();
        for (var i = 0; i < 5; i++)
        {
            versions.Add(await h.PutAsync("k", "v" + i));
            h.Time.Advance(TimeSpan.FromMinutes(1));
        }

        h.Time.Advance(TimeSpan.FromDays(3));
        var report = await h.RunAsync();

        Assert.Equal(2, report.Counters.NoncurrentExpired);
        var left = (await h.Store.ListKeyVersionsAsync(EngineHarness.Bucket, null, null, 10, None)).Keys.Single().Versions.Select(v => v.VersionId);
        Assert.Equal(versions.Skip(2).Reverse().Select(v => v.VersionId), left);
    }

    [Fact]
    public async Task Incomplete_multipart_uploads_are_aborted_when_due()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter><Prefix>uploads/</Prefix></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>"));
        var write = new ObjectWrite(ObjectHeaders.Empty, EngineHarness.Owner, new Dictionary<string, string>());
        var stale = await h.Store.CreateMultipartUploadAsync(EngineHarness.Bucket, "uploads/big.bin", write, None);
        var elsewhere = await h.Store.CreateMultipartUploadAsync(EngineHarness.Bucket, "other/big.bin", write, None);

        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 3, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, (await h.RunAsync()).Counters.UploadsAborted);
        h.Time.SetUtcNow(new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero));
        var report = await h.RunAsync();

        Assert.Equal(1, report.Counters.UploadsAborted);
        var uploads = (await h.Store.ListMultipartUploadsAsync(EngineHarness.Bucket, new ListMultipartUploadsQuery(string.Empty, null, null, null, 100), None)).Uploads;
        Assert.Equal([elsewhere.UploadId], uploads.Select(u => u.UploadId));
        var record = Assert.Single(await h.LoggedAsync());
        Assert.Equal("S3.DELETE.UPLOAD", record.Operation);
        Assert.Equal(stale.Key, record.Key);
        Assert.Equal("AmazonS3", record.Requester);
    }

    [Fact]
    public async Task Transitions_move_objects_to_the_cold_tier_and_log_each_class()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule(
            "<Filter><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan></Filter>",
            "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>"));
        _ = await h.PutAsync("photo.jpg", "pixels");

        h.Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(1, (await h.RunAsync()).Counters.Transitioned);
        Assert.Equal("STANDARD_IA", (await h.Store.HeadObjectAsync(EngineHarness.Bucket, "photo.jpg", None)).StorageClass);
        await using (var read = await h.Store.GetObjectAsync(EngineHarness.Bucket, "photo.jpg", None))
        {
            Assert.Equal("pixels", await new StreamReader(read.Content).ReadToEndAsync());
        }

        h.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(1, (await h.RunAsync()).Counters.Transitioned);
        Assert.Equal("GLACIER", (await h.Store.HeadObjectAsync(EngineHarness.Bucket, "photo.jpg", None)).StorageClass);

        h.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, (await h.RunAsync()).Counters.Transitioned);
        Assert.Equal(["S3.TRANSITION_SIA.OBJECT", "S3.TRANSITION.OBJECT"], (await h.LoggedAsync()).Select(r => r.Operation));
    }

    [Fact]
    public async Task A_run_killed_mid_scan_resumes_and_acts_on_every_object_exactly_once()
    {
        await using var h = await EngineHarness.StartAsync(Start, new LifecycleRunnerOptions { PageSize = 7, ProgressSaveInterval = TimeSpan.Zero });
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>"));
        var keys = Enumerable.Range(0, 60).Select(i => $"k{i:D3}").ToList();
        foreach (var key in keys)
        {
            _ = await h.PutAsync(key);
        }

        h.Time.Advance(TimeSpan.FromDays(2));
        h.KillAfterRecord = n => n == 25;
        _ = await Assert.ThrowsAnyAsync<OperationCanceledException>(h.RunAsync);
        var saved = h.Runner.Progress!;
        Assert.False(saved.Completed);
        Assert.NotNull(saved.KeyMarker);

        h.KillAfterRecord = null;
        await h.RestartAsync();
        var keysLeft = (await h.KeysAsync()).Count;
        var resumed = await h.RunAsync();

        Assert.True(resumed.Resumed);
        Assert.Empty(await h.KeysAsync());
        var records = await h.LoggedAsync();
        Assert.Equal(keys, records.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.Equal("S3.EXPIRE.OBJECT", r.Operation));

        // Resumed, not restarted: the second run read only the keys after the saved marker.
        Assert.True(keysLeft < 60 - 21);
        Assert.True(resumed.Counters.VersionsVisited - saved.Counters.VersionsVisited <= keysLeft);
        Assert.False((await h.RunAsync()).Ran);
    }

    [Fact]
    public async Task Cost_follows_the_objects_the_rules_cover_not_the_store()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter><Prefix>logs/</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>"), Rule("<Filter><Prefix>logs/2024/</Prefix></Filter>", "<Expiration><Days>5</Days></Expiration>", "nested"));
        for (var i = 0; i < 30; i++)
        {
            _ = await h.PutAsync($"other/{i}");
            _ = await h.PutAsync($"x{i}", bucket: EngineHarness.LogBucket);
        }

        for (var i = 0; i < 4; i++)
        {
            _ = await h.PutAsync($"logs/2024/{i}");
        }

        h.Time.Advance(TimeSpan.FromDays(3));
        var report = await h.RunAsync();

        Assert.Equal(4, report.Counters.VersionsVisited);
        Assert.Equal(1, report.Counters.BucketsScanned);
        Assert.Equal(4, report.Counters.Expired);
    }

    [Fact]
    public async Task Scan_ranges_merge_nested_prefixes_and_a_whole_bucket_rule_covers_all()
    {
        var nested = LifecycleXml.Parse(Rule("<Filter><Prefix>a/b/</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>", "1"), Rule("<Filter><Prefix>a/</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>", "2"), Rule("<Filter><Prefix>c</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>", "3"));
        var whole = LifecycleXml.Parse(Rule("<Filter><Prefix>a/</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>", "1"), Rule("<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>", "<Expiration><Days>1</Days></Expiration>", "2"));
        var uploadsOnly = LifecycleXml.Parse(Rule("<Filter><Prefix>u/</Prefix></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"));

        Assert.Equal(["a/", "c"], LifecycleRunner.ScanRanges(nested, uploads: false));
        Assert.Equal([null], LifecycleRunner.ScanRanges(whole, uploads: false));
        Assert.Empty(LifecycleRunner.ScanRanges(uploadsOnly, uploads: false));
        Assert.Equal(["u/"], LifecycleRunner.ScanRanges(uploadsOnly, uploads: true));
    }

    [Fact]
    public async Task A_run_with_nothing_due_decodes_no_version()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.Store.PutBucketVersioningAsync(EngineHarness.Bucket, VersioningStatus.Enabled, None);
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>30</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>10</NoncurrentDays></NoncurrentVersionExpiration>"));
        for (var i = 0; i < 20; i++)
        {
            _ = await h.PutAsync($"k{i % 5}", "v" + i);
        }

        h.Time.Advance(TimeSpan.FromDays(5));
        var quiet = await h.RunAsync();
        Assert.Equal(0, quiet.Counters.VersionsVisited);

        // Ten days after the overwrites the noncurrent versions are due, and only their keys are read.
        h.Time.Advance(TimeSpan.FromDays(6));
        var due = await h.RunAsync();
        Assert.Equal(15, due.Counters.NoncurrentExpired);
        Assert.Equal(20, due.Counters.VersionsVisited);
    }

    [Fact]
    public void Candidate_filter_follows_the_youngest_rule_and_dates_that_have_come()
    {
        var today = new DateOnly(2024, 3, 10);
        var calendar = LifecycleCalendar.Standard;
        var days = LifecycleRunner.Candidates(LifecycleXml.Parse(
            Rule("<Filter/>", "<Expiration><Days>30</Days></Expiration>", "a"),
            Rule("<Filter><Prefix>x</Prefix></Filter>", "<Transition><Days>7</Days><StorageClass>GLACIER</StorageClass></Transition>", "b"),
            Rule("<Filter><Prefix>y</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>", "off").Replace("Enabled", "Disabled", StringComparison.Ordinal)), today, calendar);
        var dated = LifecycleRunner.Candidates(LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><Date>2024-03-10T00:00:00Z</Date></Expiration>")), today, calendar);
        var future = LifecycleRunner.Candidates(LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><Date>2024-03-11T00:00:00Z</Date></Expiration>")), today, calendar);
        var markers = LifecycleRunner.Candidates(LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration><NoncurrentVersionExpiration><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>")), today, calendar);

        Assert.Equal(new DateTimeOffset(2024, 3, 3, 0, 0, 1, TimeSpan.Zero), days.ModifiedAtOrBefore);
        Assert.Null(days.NoncurrentAtOrBefore);
        Assert.False(days.AnyDeleteMarker);
        Assert.Equal(DateTimeOffset.MaxValue, dated.ModifiedAtOrBefore);
        Assert.Null(future.ModifiedAtOrBefore);
        Assert.Equal(new LifecycleCandidates(null, DateTimeOffset.MaxValue, AnyDeleteMarker: true), markers);
    }

    [Fact]
    public async Task A_bucket_without_logging_gets_no_records_but_still_expires()
    {
        await using var h = await EngineHarness.StartAsync(Start, logging: false);
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>"));
        _ = await h.PutAsync("a");

        h.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await h.RunAsync()).Counters.Expired);
        Assert.Empty(await h.LoggedAsync());
    }

    [Fact]
    public async Task Run_as_of_a_date_acts_as_it_would_on_that_date()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>10</Days></Expiration>"));
        _ = await h.PutAsync("a");

        Assert.Equal(0, (await h.Runner.RunAsync(new DateOnly(2024, 3, 11), None)).Counters.Expired);
        Assert.Equal(1, (await h.Runner.RunAsync(new DateOnly(2024, 3, 12), None)).Counters.Expired);
    }

    [Fact]
    public async Task A_run_as_of_a_later_date_leaves_the_daily_schedule_as_it_was()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter><Prefix>old/</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>"));
        _ = await h.PutAsync("old/a");
        _ = await h.PutAsync("new/b");

        // Looking ahead a year runs the rules as of then, with its own progress.
        Assert.Equal(1, (await h.Runner.RunAsync(new DateOnly(2025, 3, 1), None)).Counters.Expired);

        // Today's daily run has not happened yet, and still runs; tomorrow's too.
        Assert.True((await h.RunAsync()).Ran);
        h.Time.Advance(TimeSpan.FromDays(1));
        Assert.True((await h.RunAsync()).Ran);
    }

    [Fact]
    public async Task A_preview_lists_what_a_run_would_do_and_changes_nothing()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(
            Rule("<Filter><Prefix>tmp/</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>", "tmp"),
            Rule("<Filter><Prefix>uploads/</Prefix></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>", "uploads"));
        _ = await h.PutAsync("tmp/a");
        _ = await h.PutAsync("tmp/b");
        _ = await h.PutAsync("keep/c");
        var upload = await h.Store.CreateMultipartUploadAsync(EngineHarness.Bucket, "uploads/big.bin", new ObjectWrite(ObjectHeaders.Empty, EngineHarness.Owner, new Dictionary<string, string>()), None);
        var date = new DateOnly(2024, 3, 3);

        var preview = await h.Runner.PreviewAsync(date, maxListed: 2, None);

        Assert.Equal((2L, 1L), (preview.Counters.Expired, preview.Counters.UploadsAborted));
        Assert.True(preview.Truncated);
        Assert.Equal([("tmp/a", "S3.EXPIRE.OBJECT", "tmp", new DateOnly(2024, 3, 3)), ("tmp/b", "S3.EXPIRE.OBJECT", "tmp", new DateOnly(2024, 3, 3))], preview.Actions.Select(a => (a.Key, a.Operation, a.RuleId, a.DueDate)));
        Assert.Equal(["keep/c", "tmp/a", "tmp/b"], await h.KeysAsync());
        Assert.Single((await h.Store.ListMultipartUploadsAsync(EngineHarness.Bucket, new ListMultipartUploadsQuery(string.Empty, null, null, null, 10), None)).Uploads);
        Assert.Empty(await h.LoggedAsync());
        Assert.Null(h.Runner.Progress);

        // The run then does exactly what the preview said.
        var run = await h.Runner.RunAsync(date, None);
        Assert.Equal(preview.Counters, run.Counters);
        Assert.Equal(["keep/c"], await h.KeysAsync());
        Assert.Equal(upload.Key, Assert.Single(await h.LoggedAsync(), r => r.Operation == "S3.DELETE.UPLOAD").Key);
    }

    [Fact]
    public async Task Lifecycle_day_seconds_make_a_day_last_that_many_seconds()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var calendar = LifecycleCalendar.Compressed(TimeSpan.FromSeconds(10), start);
        await using var h = await EngineHarness.StartAsync(start, new LifecycleRunnerOptions { PageSize = 10, ProgressSaveInterval = TimeSpan.Zero, Calendar = calendar });
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>2</Days></Expiration>"));
        h.Time.Advance(TimeSpan.FromSeconds(3));
        _ = await h.PutAsync("a");

        // Written at 3 s; 2 days of 10 s later is 23 s, rounded up to the next 10-second midnight: 30 s.
        h.Time.SetUtcNow(start.AddSeconds(29.9));
        Assert.Equal(0, (await h.RunAsync()).Counters.Expired);
        h.Time.SetUtcNow(start.AddSeconds(30));
        Assert.Equal(1, (await h.RunAsync()).Counters.Expired);
    }

    [Fact]
    public async Task Progress_saved_on_another_timeline_is_not_trusted()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>"));
        _ = await h.PutAsync("a");
        Assert.Equal(new DateOnly(2024, 3, 1), (await h.RunAsync()).Date);

        // A compressed timeline starts in 2000: the real-days run of 2024 says nothing about it.
        h.Options = h.Options with { Calendar = LifecycleCalendar.Compressed(TimeSpan.FromSeconds(10), h.Time.GetUtcNow()) };
        await h.RestartAsync();
        var compressed = await h.RunAsync();

        Assert.True(compressed.Ran);
        Assert.Equal(LifecycleCalendar.CompressedEpoch.Year, compressed.Date.Year);
        Assert.False((await h.RunAsync()).Ran);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await h.RunAsync()).Counters.Expired);
    }

    [Fact]
    public async Task An_object_overwritten_after_its_version_was_evaluated_is_not_expired()
    {
        await using var h = await EngineHarness.StartAsync(Start);
        await h.PutRulesAsync(Rule("<Filter/>", "<Expiration><Date>2024-03-10T00:00:00Z</Date></Expiration>"));
        _ = await h.PutAsync("a", "old");
        var evaluated = await h.Store.GetObjectVersionAsync(EngineHarness.Bucket, "a", null, None);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        _ = await h.PutAsync("a", "new");

        Assert.Null(await h.Store.ExpireCurrentVersionAsync(evaluated, None));
        Assert.Equal(["a"], await h.KeysAsync());
    }

    private static string Rule(string filter, string actions, string id = "r") => $"<Rule><ID>{id}</ID>{filter}<Status>Enabled</Status>{actions}</Rule>";
}
