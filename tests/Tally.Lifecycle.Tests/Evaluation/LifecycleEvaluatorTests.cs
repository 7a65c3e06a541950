using Tally.Lifecycle.Configuration;
using Tally.Lifecycle.Evaluation;

namespace Tally.Lifecycle.Tests.Evaluation;

/// <summary>The pure evaluator, case by case: rules + object facts + date → action (spec §6.3).</summary>
public sealed class LifecycleEvaluatorTests
{
    private static readonly DateTimeOffset Jan15At1030 = new(2014, 1, 15, 10, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2014-01-15T10:30:00Z", 3, "2014-01-19")] // AWS docs: 1/15 10:30 + 3 days ⇒ 1/19 00:00
    [InlineData("2014-01-15T00:00:00Z", 3, "2014-01-18")] // already at midnight: no rounding
    [InlineData("2014-01-15T23:59:59Z", 1, "2014-01-17")]
    [InlineData("2014-01-15T00:00:01Z", 1, "2014-01-17")]
    [InlineData("2014-12-31T12:00:00Z", 1, "2015-01-02")]
    [InlineData("2014-01-15T10:30:00Z", 0, "2014-01-16")] // Transition Days 0: the next midnight
    public void Due_date_is_the_midnight_UTC_at_or_after_age_reaches_the_rule(string created, int days, string due)
    {
        Assert.Equal(DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture), LifecycleEvaluator.DueDate(DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture), days));
    }

    [Fact]
    public void Days_past_the_end_of_the_calendar_are_never_due()
    {
        var rules = LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><Days>2147483647</Days></Expiration><Transition><Days>2147483646</Days><StorageClass>GLACIER</StorageClass></Transition>"));

        Assert.Equal(DateOnly.MaxValue, LifecycleEvaluator.DueDate(Jan15At1030, int.MaxValue));
        Assert.Null(LifecycleEvaluator.Evaluate(rules, Object("a", Jan15At1030) with { Size = 1 << 20 }, new DateOnly(9999, 12, 30)));
    }

    [Fact]
    public void Expires_on_the_due_midnight_and_not_the_day_before()
    {
        var rules = LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><Days>3</Days></Expiration>"));
        var facts = Object("doc.txt", Jan15At1030);

        Assert.Null(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2014, 1, 18)));
        var action = LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2014, 1, 19));
        Assert.Equal(new LifecycleAction(LifecycleActionKind.Expire, "r", new DateOnly(2014, 1, 19)), action);
        Assert.Equal("S3.EXPIRE.OBJECT", action!.LogOperation);
        Assert.NotNull(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2015, 6, 1)));
    }

    [Fact]
    public void Date_rule_acts_on_and_after_its_midnight_on_objects_old_and_new()
    {
        var rules = LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><Date>2020-06-01T00:00:00Z</Date></Expiration>"));

        Assert.Null(LifecycleEvaluator.Evaluate(rules, Object("a", new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)), new DateOnly(2020, 5, 31)));
        Assert.NotNull(LifecycleEvaluator.Evaluate(rules, Object("a", new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)), new DateOnly(2020, 6, 1)));
        Assert.NotNull(LifecycleEvaluator.Evaluate(rules, Object("b", new DateTimeOffset(2020, 7, 1, 0, 0, 0, TimeSpan.Zero)), new DateOnly(2020, 7, 2)));
    }

    /// <summary>AWS user guide, lifecycle configuration examples: a filter, tiering down, multiple rules, disabled rules.</summary>
    public static TheoryData<string, string[], string, long, string, int, string?> AwsExamples => new()
    {
        // example, rules, key, size, class, age in days, expected "Kind[:class]:rule" or null
        { "1 filter: tax/ to Glacier after 365 days", [TaxRule], "tax/2019.pdf", 1 << 20, "STANDARD", 364, null },
        { "1 filter: tax/ to Glacier after 365 days", [TaxRule], "tax/2019.pdf", 1 << 20, "STANDARD", 365, "Transition:GLACIER:tax" },
        { "1 filter: tax/ expires after 3650 days", [TaxRule], "tax/2019.pdf", 1 << 20, "GLACIER", 3650, "Expire:tax" },
        { "1 filter: other prefixes untouched", [TaxRule], "taxes/2019.pdf", 1 << 20, "STANDARD", 4000, null },
        { "2 disabled rule does nothing", [LogsEnabled, DocumentsDisabled], "documents/a", 1 << 20, "STANDARD", 10, null },
        { "2 enabled rule still acts", [LogsEnabled, DocumentsDisabled], "logs/a", 1 << 20, "STANDARD", 1, "Transition:GLACIER:logs" },
        { "3 tiering: standard until 30 days", [TierDown], "logs/a", 1 << 20, "STANDARD", 29, null },
        { "3 tiering: STANDARD_IA at 30", [TierDown], "logs/a", 1 << 20, "STANDARD", 30, "Transition:STANDARD_IA:tier" },
        { "3 tiering: GLACIER at 90 from IA", [TierDown], "logs/a", 1 << 20, "STANDARD_IA", 90, "Transition:GLACIER:tier" },
        { "3 tiering: late run goes straight to the cheapest due class", [TierDown], "logs/a", 1 << 20, "STANDARD", 120, "Transition:GLACIER:tier" },
        { "3 tiering: nothing left to do in GLACIER before expiry", [TierDown], "logs/a", 1 << 20, "GLACIER", 364, null },
        { "3 tiering: expiry at 365", [TierDown], "logs/a", 1 << 20, "GLACIER", 365, "Expire:tier" },
        { "4 multiple rules: classA", [ClassA, ClassB], "classA/x", 1 << 20, "STANDARD", 365, "Transition:GLACIER:A" },
        { "4 multiple rules: classB IA", [ClassA, ClassB], "classB/x", 1 << 20, "STANDARD", 90, "Transition:STANDARD_IA:B" },
        { "4 multiple rules: classB expiry", [ClassA, ClassB], "classB/x", 1 << 20, "STANDARD_IA", 365, "Expire:B" },
    };

    [Theory]
    [MemberData(nameof(AwsExamples))]
    public void Acts_as_the_AWS_documentation_examples_say(string example, string[] rules, string key, long size, string storageClass, int ageDays, string? expected)
    {
        var created = new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var facts = Object(key, created) with { Size = size, StorageClass = storageClass };

        var action = LifecycleEvaluator.Evaluate(LifecycleXml.Parse(rules), facts, DateOnly.FromDateTime(created.UtcDateTime).AddDays(ageDays));

        Assert.True(expected == Describe(action), $"{example}: expected {expected ?? "nothing"}, got {Describe(action) ?? "nothing"}");
    }

    [Fact]
    public void Overlapping_rules_expiration_wins_over_transition()
    {
        // AWS docs, "overlapping filters and conflicting actions": both due ⇒ permanent deletion wins.
        var rules = LifecycleXml.Parse(
            Rule("<Filter/>", "<Transition><Days>10</Days><StorageClass>GLACIER</StorageClass></Transition>", "all"),
            Rule("<Filter><Prefix>logs/</Prefix></Filter>", "<Expiration><Days>20</Days></Expiration>", "logs"));

        var at20 = LifecycleEvaluator.Evaluate(rules, Object("logs/a", Jan15At1030) with { Size = 1 << 20 }, new DateOnly(2014, 2, 5));

        Assert.Equal("Expire:logs", Describe(at20));
    }

    [Fact]
    public void Overlapping_transitions_choose_the_cheaper_class()
    {
        var rules = LifecycleXml.Parse(
            Rule("<Filter/>", "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>", "ia"),
            Rule("<Filter><Prefix>a</Prefix></Filter>", "<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition>", "glacier"),
            Rule("<Filter><Prefix>ab</Prefix></Filter>", "<Transition><Days>30</Days><StorageClass>GLACIER_IR</StorageClass></Transition>", "ir"));

        var action = LifecycleEvaluator.Evaluate(rules, Object("abc", Jan15At1030) with { Size = 1 << 20 }, new DateOnly(2014, 3, 1));

        Assert.Equal("Transition:GLACIER:glacier", Describe(action));
    }

    [Fact]
    public void In_a_versioned_bucket_transition_wins_over_a_delete_marker()
    {
        var rules = LifecycleXml.Parse(
            Rule("<Filter/>", "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>2</Days></Expiration>"));
        var facts = Object("a", Jan15At1030) with { Size = 1 << 20, VersionedBucket = true };

        Assert.Equal("Transition:GLACIER:r", Describe(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2014, 2, 1))));
        var marker = LifecycleEvaluator.Evaluate(rules, facts with { StorageClass = "GLACIER" }, new DateOnly(2014, 2, 1));
        Assert.Equal("CreateDeleteMarker:r", Describe(marker));
        Assert.Equal("S3.CREATE.DELETEMARKER", marker!.LogOperation);
    }

    public static TheoryData<string, string, string, long, string?> Filters => new()
    {
        // filter, key, tags ("k=v,k2=v2"), size, expected
        { "<Filter><Tag><Key>class</Key><Value>log</Value></Tag></Filter>", "x", "class=log", 10, "Expire:r" },
        { "<Filter><Tag><Key>class</Key><Value>log</Value></Tag></Filter>", "x", "class=LOG", 10, null },
        { "<Filter><Tag><Key>class</Key><Value>log</Value></Tag></Filter>", "x", "other=log", 10, null },
        { "<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></And></Filter>", "p/x", "a=1,b=2,c=3", 10, "Expire:r" },
        { "<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></And></Filter>", "p/x", "a=1", 10, null },
        { "<Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag></And></Filter>", "q/x", "a=1", 10, null },
        { "<Filter><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan></Filter>", "x", "", 500, null },
        { "<Filter><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan></Filter>", "x", "", 501, "Expire:r" },
        { "<Filter><ObjectSizeLessThan>64000</ObjectSizeLessThan></Filter>", "x", "", 64000, null },
        { "<Filter><ObjectSizeLessThan>64000</ObjectSizeLessThan></Filter>", "x", "", 63999, "Expire:r" },
        { "<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>20</ObjectSizeLessThan></And></Filter>", "x", "", 15, "Expire:r" },
        { "<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>20</ObjectSizeLessThan></And></Filter>", "x", "", 20, null },
        { "<Filter><Prefix></Prefix></Filter>", "anything", "", 0, "Expire:r" },
        { "<Prefix>logs/</Prefix>", "logs/a", "", 0, "Expire:r" },
        { "<Prefix>logs/</Prefix>", "Logs/a", "", 0, null },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Filters_match_on_prefix_every_tag_and_exclusive_size_bounds(string filter, string key, string tags, long size, string? expected)
    {
        var rules = LifecycleXml.Parse(Rule(filter, "<Expiration><Days>1</Days></Expiration>"));
        var tagSet = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split('=')).ToDictionary(t => t[0], t => t[1], StringComparer.Ordinal);

        var action = LifecycleEvaluator.Evaluate(rules, Object(key, Jan15At1030) with { Tags = tagSet, Size = size }, new DateOnly(2015, 1, 1));

        Assert.Equal(expected, Describe(action));
    }

    [Theory]
    [InlineData(null, 131071, "GLACIER", false)]
    [InlineData(null, 131072, "GLACIER", true)]
    [InlineData("all_storage_classes_128K", 1000, "DEEP_ARCHIVE", false)]
    [InlineData("varies_by_storage_class", 1000, "GLACIER", true)]
    [InlineData("varies_by_storage_class", 1000, "DEEP_ARCHIVE", true)]
    [InlineData("varies_by_storage_class", 1000, "GLACIER_IR", false)]
    public void Small_objects_transition_only_as_the_minimum_size_setting_allows(string? setting, long size, string target, bool transitions)
    {
        var rules = LifecycleConfigurationXml.Parse(LifecycleXml.Document(Rule("<Filter/>", $"<Transition><Days>1</Days><StorageClass>{target}</StorageClass></Transition>")), setting);

        var action = LifecycleEvaluator.Evaluate(rules, Object("a", Jan15At1030) with { Size = size }, new DateOnly(2014, 3, 1));

        Assert.Equal(transitions, action is not null);
    }

    [Fact]
    public void A_rule_with_its_own_size_filter_transitions_small_objects()
    {
        var rules = LifecycleXml.Parse(Rule("<Filter><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan></Filter>", "<Transition><Days>1</Days><StorageClass>STANDARD_IA</StorageClass></Transition>".Replace("<Days>1</Days>", "<Days>30</Days>", StringComparison.Ordinal)));

        Assert.Equal("Transition:STANDARD_IA:r", Describe(LifecycleEvaluator.Evaluate(rules, Object("a", Jan15At1030) with { Size = 100 }, new DateOnly(2014, 3, 1))));
    }

    [Theory]
    [InlineData("STANDARD", "GLACIER_IR", true)]
    [InlineData("STANDARD_IA", "GLACIER_IR", true)]
    [InlineData("STANDARD_IA", "ONEZONE_IA", true)]
    [InlineData("ONEZONE_IA", "STANDARD_IA", false)]
    [InlineData("GLACIER", "DEEP_ARCHIVE", true)]
    [InlineData("GLACIER", "GLACIER_IR", false)]
    [InlineData("DEEP_ARCHIVE", "GLACIER", false)]
    [InlineData("GLACIER", "GLACIER", false)]
    public void Transitions_only_go_down_the_waterfall(string from, string to, bool moves)
    {
        var days = to is "STANDARD_IA" or "ONEZONE_IA" ? 30 : 1;
        var rules = LifecycleXml.Parse(Rule("<Filter/>", $"<Transition><Days>{days}</Days><StorageClass>{to}</StorageClass></Transition>"));

        var action = LifecycleEvaluator.Evaluate(rules, Object("a", Jan15At1030) with { Size = 1 << 20, StorageClass = from }, new DateOnly(2015, 1, 1));

        Assert.Equal(moves, action is not null);
    }

    public static TheoryData<int?, int?, int, int, string?> Noncurrent => new()
    {
        // NoncurrentDays, NewerNoncurrentVersions, days noncurrent, newer noncurrent versions, expected
        { 30, null, 29, 0, null },
        { 30, null, 30, 0, "ExpireNoncurrentVersion:r" },
        { 30, 2, 40, 1, null },
        { 30, 2, 40, 2, "ExpireNoncurrentVersion:r" },
        { 30, 2, 20, 5, null },
        { null, 3, 0, 2, null },
        { null, 3, 0, 3, "ExpireNoncurrentVersion:r" },
    };

    [Theory]
    [MemberData(nameof(Noncurrent))]
    public void Noncurrent_versions_expire_by_age_since_superseded_and_by_count_kept(int? days, int? newer, int ageDays, int newerVersions, string? expected)
    {
        var element = "<NoncurrentVersionExpiration>" + (days is null ? "" : $"<NoncurrentDays>{days}</NoncurrentDays>") + (newer is null ? "" : $"<NewerNoncurrentVersions>{newer}</NewerNoncurrentVersions>") + "</NoncurrentVersionExpiration>";
        var rules = LifecycleXml.Parse(Rule("<Filter/>", element));
        var superseded = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var facts = Object("k", superseded.AddYears(-1)) with { IsLatest = false, VersionedBucket = true, NoncurrentSince = superseded, NewerNoncurrentVersions = newerVersions };

        Assert.Equal(expected, Describe(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2020, 1, 1).AddDays(ageDays))));
    }

    [Fact]
    public void Noncurrent_days_count_from_when_the_successor_was_written_not_from_creation()
    {
        var rules = LifecycleXml.Parse(Rule("<Filter/>", "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>"));
        var facts = Object("k", new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero)) with
        {
            IsLatest = false,
            NoncurrentSince = new DateTimeOffset(2020, 1, 1, 12, 0, 0, TimeSpan.Zero),
        };

        Assert.Null(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2020, 1, 2)));
        Assert.NotNull(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2020, 1, 3)));
    }

    [Fact]
    public void Noncurrent_versions_transition_and_expiry_wins_when_both_are_due()
    {
        // AWS docs example: noncurrent versions to GLACIER after 30 days, deleted after 365.
        var rules = LifecycleXml.Parse(Rule(
            "<Filter/>",
            "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition><NoncurrentVersionExpiration><NoncurrentDays>365</NoncurrentDays></NoncurrentVersionExpiration>"));
        var since = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var facts = Object("k", since) with { Size = 1 << 20, IsLatest = false, NoncurrentSince = since };

        Assert.Null(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2020, 1, 30)));
        var transition = LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2020, 1, 31));
        Assert.Equal("TransitionNoncurrentVersion:GLACIER:r", Describe(transition));
        Assert.Equal("S3.TRANSITION.OBJECT", transition!.LogOperation);
        Assert.Equal("ExpireNoncurrentVersion:r", Describe(LifecycleEvaluator.Evaluate(rules, facts, new DateOnly(2021, 1, 1))));
        Assert.Equal("ExpireNoncurrentVersion:r", Describe(LifecycleEvaluator.Evaluate(rules, facts with { StorageClass = "GLACIER" }, new DateOnly(2021, 1, 1))));
    }

    [Fact]
    public void Current_rules_do_not_touch_noncurrent_versions_and_noncurrent_rules_do_not_touch_current_ones()
    {
        var rules = LifecycleXml.Parse(
            Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>", "current"),
            Rule("<Filter/>", "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>", "noncurrent"));
        var old = new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("CreateDeleteMarker:current", Describe(LifecycleEvaluator.Evaluate(rules, Object("k", old) with { VersionedBucket = true }, new DateOnly(2020, 1, 1))));
        Assert.Equal("ExpireNoncurrentVersion:noncurrent", Describe(LifecycleEvaluator.Evaluate(rules, Object("k", old) with { VersionedBucket = true, IsLatest = false, NoncurrentSince = old }, new DateOnly(2020, 1, 1))));
    }

    [Fact]
    public void Expired_object_delete_marker_is_removed_only_when_no_version_is_left_under_it()
    {
        // AWS docs example: ExpiredObjectDeleteMarker with NoncurrentVersionExpiration.
        var rules = LifecycleXml.Parse(Rule(
            "<Filter><Prefix>logs/</Prefix></Filter>",
            "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration><NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration>"));
        var marker = Object("logs/a", Jan15At1030) with { IsDeleteMarker = true, VersionedBucket = true };

        Assert.Null(LifecycleEvaluator.Evaluate(rules, marker with { HasNoncurrentVersions = true }, new DateOnly(2014, 6, 1)));
        var removed = LifecycleEvaluator.Evaluate(rules, marker, new DateOnly(2014, 1, 15));
        Assert.Equal("RemoveExpiredDeleteMarker:r", Describe(removed));
        Assert.Equal("S3.EXPIRE.OBJECT", removed!.LogOperation);
        Assert.Null(LifecycleEvaluator.Evaluate(rules, marker with { Key = "other/a" }, new DateOnly(2014, 6, 1)));
    }

    [Fact]
    public void A_delete_marker_is_never_expired_into_another_delete_marker()
    {
        var rules = LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>"));
        var marker = Object("a", Jan15At1030) with { IsDeleteMarker = true, VersionedBucket = true, HasNoncurrentVersions = true };

        Assert.Null(LifecycleEvaluator.Evaluate(rules, marker, new DateOnly(2015, 1, 1)));
        Assert.Equal("RemoveExpiredDeleteMarker:r", Describe(LifecycleEvaluator.Evaluate(rules, marker with { HasNoncurrentVersions = false }, new DateOnly(2015, 1, 1))));
    }

    [Fact]
    public void Incomplete_uploads_are_aborted_days_after_initiation_under_the_prefix()
    {
        // AWS docs example: abort incomplete multipart uploads 7 days after initiation.
        var rules = LifecycleXml.Parse(Rule("<Filter><Prefix>SomeKeyPrefix/</Prefix></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>"));

        Assert.Null(LifecycleEvaluator.EvaluateUpload(rules, new UploadFacts("SomeKeyPrefix/big", Jan15At1030), new DateOnly(2014, 1, 22)));
        var action = LifecycleEvaluator.EvaluateUpload(rules, new UploadFacts("SomeKeyPrefix/big", Jan15At1030), new DateOnly(2014, 1, 23));
        Assert.Equal(LifecycleActionKind.AbortMultipartUpload, action!.Kind);
        Assert.Equal("S3.DELETE.UPLOAD", action.LogOperation);
        Assert.Null(LifecycleEvaluator.EvaluateUpload(rules, new UploadFacts("Other/big", Jan15At1030), new DateOnly(2015, 1, 1)));
        Assert.Null(LifecycleEvaluator.Evaluate(rules, Object("SomeKeyPrefix/done", Jan15At1030), new DateOnly(2015, 1, 1)));
    }

    [Fact]
    public void Expiration_header_names_the_earliest_applicable_rule_whether_due_or_not()
    {
        var rules = LifecycleXml.Parse(
            Rule("<Filter/>", "<Expiration><Days>10</Days></Expiration>", "late"),
            Rule("<Filter><Prefix>tmp/</Prefix></Filter>", "<Expiration><Days>2</Days></Expiration>", "early"),
            Rule("<Filter><Prefix>tmp/</Prefix></Filter>", "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>", "move"));

        Assert.Equal((new DateOnly(2014, 1, 18), "early"), LifecycleEvaluator.Expiration(rules, Object("tmp/a", Jan15At1030)));
        Assert.Equal((new DateOnly(2014, 1, 26), "late"), LifecycleEvaluator.Expiration(rules, Object("a", Jan15At1030)));
        Assert.Null(LifecycleEvaluator.Expiration(LifecycleXml.Parse(Rule("<Filter/>", "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>")), Object("a", Jan15At1030)));
    }

    private const string TaxRule = "<Rule><ID>tax</ID><Filter><Prefix>tax/</Prefix></Filter><Status>Enabled</Status><Transition><Days>365</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>3650</Days></Expiration></Rule>";
    private const string LogsEnabled = "<Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>";
    private const string DocumentsDisabled = "<Rule><ID>docs</ID><Filter><Prefix>documents/</Prefix></Filter><Status>Disabled</Status><Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>";
    private const string TierDown = "<Rule><ID>tier</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>90</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>365</Days></Expiration></Rule>";
    private const string ClassA = "<Rule><ID>A</ID><Filter><Prefix>classA/</Prefix></Filter><Status>Enabled</Status><Transition><Days>365</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>3650</Days></Expiration></Rule>";
    private const string ClassB = "<Rule><ID>B</ID><Filter><Prefix>classB/</Prefix></Filter><Status>Enabled</Status><Transition><Days>90</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Expiration><Days>365</Days></Expiration></Rule>";

    private static string Rule(string filter, string actions, string id = "r") => $"<Rule><ID>{id}</ID>{filter}<Status>Enabled</Status>{actions}</Rule>";

    private static ObjectFacts Object(string key, DateTimeOffset modified) => new() { Key = key, LastModified = modified };

    private static string? Describe(LifecycleAction? action) =>
        action is null ? null : action.StorageClass is null ? $"{action.Kind}:{action.RuleId}" : $"{action.Kind}:{action.StorageClass}:{action.RuleId}";
}
