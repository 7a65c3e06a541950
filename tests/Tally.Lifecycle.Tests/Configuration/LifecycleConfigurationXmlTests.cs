using System.Text;
using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.Lifecycle.Configuration;
using Tally.S3.Xml;

namespace Tally.Lifecycle.Tests.Configuration;

public sealed class LifecycleConfigurationXmlTests
{
    private const string SpecExample = """
        <Rule>
          <ID>expire-logs</ID>
          <Filter>
            <And>
              <Prefix>logs/</Prefix>
              <Tag><Key>class</Key><Value>access-log</Value></Tag>
              <ObjectSizeGreaterThan>500</ObjectSizeGreaterThan>
              <ObjectSizeLessThan>64000</ObjectSizeLessThan>
            </And>
          </Filter>
          <Status>Enabled</Status>
          <Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
          <Transition><Days>90</Days><StorageClass>GLACIER</StorageClass></Transition>
          <Expiration><Days>365</Days></Expiration>
          <NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionTransition>
          <NoncurrentVersionExpiration><NoncurrentDays>60</NoncurrentDays><NewerNoncurrentVersions>5</NewerNoncurrentVersions></NoncurrentVersionExpiration>
        </Rule>
        """;

    // The spec's example also puts AbortIncompleteMultipartUpload in that rule, which its own
    // §6.2 forbids beside a tag filter; here it gets a rule of its own.
    private const string AbortRule = """
        <Rule><ID>abort</ID><Filter><Prefix>uploads/</Prefix></Filter><Status>Enabled</Status>
          <AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>
        </Rule>
        """;

    [Fact]
    public void Parses_every_element_of_the_spec_example()
    {
        var rules = LifecycleXml.Parse(SpecExample, AbortRule).Rules;
        var rule = rules[0];

        Assert.Equal("expire-logs", rule.Id);
        Assert.True(rule.Enabled);
        Assert.Equal(LifecycleFilterForm.And, rule.Filter.Form);
        Assert.Equal("logs/", rule.Filter.Prefix);
        Assert.Equal([new LifecycleTag("class", "access-log")], rule.Filter.Tags);
        Assert.Equal(500, rule.Filter.ObjectSizeGreaterThan);
        Assert.Equal(64000, rule.Filter.ObjectSizeLessThan);
        Assert.Equal([new LifecycleTransition(30, null, "STANDARD_IA"), new LifecycleTransition(90, null, "GLACIER")], rule.Transitions);
        Assert.Equal(new LifecycleExpiration(365, null, null), rule.Expiration);
        Assert.Equal([new NoncurrentVersionTransition(30, "GLACIER", 2)], rule.NoncurrentVersionTransitions);
        Assert.Equal(new NoncurrentVersionExpiration(60, 5), rule.NoncurrentVersionExpiration);
        Assert.Null(rule.AbortIncompleteMultipartUploadDays);
        Assert.Equal("uploads/", rules[1].Filter.Prefix);
        Assert.Equal(7, rules[1].AbortIncompleteMultipartUploadDays);
    }

    [Fact]
    public void Get_answers_what_was_put_and_the_stored_document_reads_back_the_same()
    {
        var rules = LifecycleXml.Parse(
            SpecExample,
            AbortRule,
            "<Rule><ID>old</ID><Prefix>tmp/</Prefix><Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>",
            "<Rule><ID>all</ID><Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            "<Rule><ID>tag</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><Transition><Date>2031-02-03T00:00:00.000Z</Date><StorageClass>DEEP_ARCHIVE</StorageClass></Transition></Rule>");

        var xml = LifecycleConfigurationXml.ToXml(rules);
        var reparsed = LifecycleConfigurationXml.Parse(S3Xml.ToBytes(xml), null);
        var stored = LifecycleConfigurationXml.FromDocument(LifecycleConfigurationXml.ToDocument(rules));

        Assert.Equal(xml.ToString(), LifecycleConfigurationXml.ToXml(reparsed).ToString());
        Assert.Equal(xml.ToString(), LifecycleConfigurationXml.ToXml(stored).ToString());
        var old = xml.Elements(S3Xml.N("Rule")).Single(r => r.Element(S3Xml.N("ID"))!.Value == "old");
        Assert.Equal("tmp/", old.Element(S3Xml.N("Prefix"))!.Value);
        Assert.Null(old.Element(S3Xml.N("Filter")));
        Assert.Equal("2030-01-01T00:00:00.000Z", old.Element(S3Xml.N("Expiration"))!.Element(S3Xml.N("Date"))!.Value);
        var all = xml.Elements(S3Xml.N("Rule")).Single(r => r.Element(S3Xml.N("ID"))!.Value == "all");
        Assert.Empty(all.Element(S3Xml.N("Filter"))!.Elements());
    }

    [Fact]
    public void Rules_without_an_ID_get_a_generated_48_character_one()
    {
        var rules = LifecycleXml.Parse(
            "<Rule><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "<Rule><Filter><Prefix>b/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>");

        Assert.All(rules.Rules, r => Assert.Equal(48, r.Id.Length));
        Assert.NotEqual(rules.Rules[0].Id, rules.Rules[1].Id);
    }

    [Fact]
    public void Accepts_the_namespace_the_docs_misprint()
    {
        var body = Encoding.UTF8.GetBytes("<LifecycleConfiguration xmlns=\"http://doc.s3.amazonaws.com/2006-03-01\"><Rule><ID>x</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>");

        Assert.Equal("x", Assert.Single(LifecycleConfigurationXml.Parse(body, null).Rules).Id);
    }

    [Theory]
    [InlineData(null, "all_storage_classes_128K")]
    [InlineData("all_storage_classes_128K", "all_storage_classes_128K")]
    [InlineData("varies_by_storage_class", "varies_by_storage_class")]
    public void Keeps_the_transition_default_minimum_object_size(string? header, string expected)
    {
        var rules = LifecycleConfigurationXml.Parse(LifecycleXml.Document("<Rule><ID>x</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"), header);

        Assert.Equal(expected, rules.TransitionDefaultMinimumObjectSize);
        Assert.Equal(expected, LifecycleConfigurationXml.FromDocument(LifecycleConfigurationXml.ToDocument(rules)).TransitionDefaultMinimumObjectSize);
    }

    [Fact]
    public void A_bad_transition_default_minimum_object_size_is_InvalidRequest_naming_it()
    {
        var error = Assert.Throws<S3Exception>(() => LifecycleConfigurationXml.Parse(LifecycleXml.Document("<Rule><ID>x</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"), "128K"));

        Assert.Equal("InvalidRequest", error.Error.Code);
        Assert.Equal("Invalid TransitionDefaultMinimumObjectSize found: 128K", error.Message);
    }

    [Fact]
    public void Log_bucket_rule_moves_logs_to_a_readable_class_and_expires_them()
    {
        var rule = LifecycleRules.ForLogBucket("photos", "logs/", 30, 365);

        Assert.Equal("tally-log-retention-photos", rule.Id);
        Assert.Equal("logs/", rule.Filter.Prefix);
        Assert.Equal([new LifecycleTransition(30, null, "STANDARD_IA")], rule.Transitions);
        Assert.Equal(365, rule.Expiration!.Days);
        Assert.Equal("GLACIER_IR", LifecycleRules.ForLogBucket("photos", "logs/", 7, null).Transitions[0].StorageClass);
        Assert.Empty(LifecycleRules.ForLogBucket("photos", "logs/", null, 30).Transitions);
    }

    [Fact]
    public void Log_bucket_rule_that_expires_before_it_transitions_is_refused()
    {
        var error = Assert.Throws<S3Exception>(() => LifecycleRules.ForLogBucket("photos", "logs/", 60, 30));

        Assert.Equal("InvalidArgument", error.Error.Code);
    }

    [Fact]
    public void Adding_a_rule_replaces_the_one_with_the_same_ID_and_keeps_the_others()
    {
        var rules = LifecycleXml.Parse(
            "<Rule><ID>mine</ID><Filter/><Status>Enabled</Status><Expiration><Days>5</Days></Expiration></Rule>",
            "<Rule><ID>tally-log-retention-photos</ID><Filter/><Status>Enabled</Status><Expiration><Days>9</Days></Expiration></Rule>");

        var updated = rules.WithRule(LifecycleRules.ForLogBucket("photos", "logs/", null, 400));

        Assert.Equal(["mine", "tally-log-retention-photos"], updated.Rules.Select(r => r.Id));
        Assert.Equal(400, updated.Rules[1].Expiration!.Days);
    }

    [Fact]
    public void Writes_elements_in_the_S3_namespace()
    {
        var xml = LifecycleConfigurationXml.ToXml(LifecycleXml.Parse(SpecExample));

        Assert.All(xml.DescendantsAndSelf(), e => Assert.Equal(S3Xml.Ns, e.Name.Namespace));
        Assert.Equal(XNamespace.Get("http://s3.amazonaws.com/doc/2006-03-01/"), xml.Name.Namespace);
    }
}
