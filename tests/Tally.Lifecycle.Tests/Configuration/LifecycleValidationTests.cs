using System.Text;
using Tally.Core.Errors;
using Tally.Lifecycle.Configuration;

namespace Tally.Lifecycle.Tests.Configuration;

/// <summary>spec §6.5: bad configurations get AWS's code and message.</summary>
public sealed class LifecycleValidationTests
{
    private const string Malformed = "The XML you provided was not well-formed or did not validate against our published schema";

    public static TheoryData<string, string, string, string> BadRules => new()
    {
        // case, rule XML, code, message
        { "Expiration Days 0", Rule("<Filter/>", "<Expiration><Days>0</Days></Expiration>"), "InvalidArgument", "'Days' for Expiration action must be a positive integer" },
        { "Expiration Days negative", Rule("<Filter/>", "<Expiration><Days>-3</Days></Expiration>"), "InvalidArgument", "'Days' for Expiration action must be a positive integer" },
        { "Date not at midnight", Rule("<Filter/>", "<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>"), "InvalidArgument", "'Date' must be at midnight GMT" },
        { "Transition Date not at midnight", Rule("<Filter/>", "<Transition><Date>2030-01-01T00:00:01Z</Date><StorageClass>GLACIER</StorageClass></Transition>"), "InvalidArgument", "'Date' must be at midnight GMT" },
        { "Date not ISO 8601", Rule("<Filter/>", "<Expiration><Date>tomorrow</Date></Expiration>"), "InvalidArgument", "Date must be in ISO 8601 format" },
        { "STANDARD_IA under 30 days", Rule("<Filter/>", "<Transition><Days>29</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"), "InvalidArgument", "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'" },
        { "ONEZONE_IA under 30 days", Rule("<Filter/>", "<Transition><Days>0</Days><StorageClass>ONEZONE_IA</StorageClass></Transition>"), "InvalidArgument", "'Days' in Transition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA'" },
        { "noncurrent STANDARD_IA under 30 days", Rule("<Filter/>", "<NoncurrentVersionTransition><NoncurrentDays>10</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition>"), "InvalidArgument", "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'" },
        { "negative transition days", Rule("<Filter/>", "<Transition><Days>-1</Days><StorageClass>GLACIER</StorageClass></Transition>"), "InvalidArgument", "'Days' in Transition action must be nonnegative" },
        { "no action", Rule("<Filter/>", string.Empty), "InvalidRequest", "At least one action needs to be specified in a rule" },
        { "duplicate tag keys", Rule("<Filter><And><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></And></Filter>", "<Expiration><Days>1</Days></Expiration>"), "InvalidRequest", "Duplicate Tag Keys are not allowed." },
        { "NoncurrentDays 0", Rule("<Filter/>", "<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>"), "InvalidArgument", "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer" },
        { "NewerNoncurrentVersions 0", Rule("<Filter/>", "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>0</NewerNoncurrentVersions></NoncurrentVersionExpiration>"), "InvalidArgument", "'NewerNoncurrentVersions' must be a positive integer" },
        { "NewerNoncurrentVersions over 100", Rule("<Filter/>", "<NoncurrentVersionExpiration><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>"), "InvalidArgument", "'NewerNoncurrentVersions' must be a positive integer" },
        { "NewerNoncurrentVersions without a Filter", Rule("<Prefix>a/</Prefix>", "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>"), "InvalidRequest", "NewerNoncurrentVersions element can only be used in Lifecycle V2." },
        { "DaysAfterInitiation 0", Rule("<Filter/>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>"), "InvalidArgument", "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer" },
        { "abort with a tag filter", Rule("<Filter><Tag><Key>a</Key><Value>b</Value></Tag></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"), "InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Tags." },
        { "abort with a size filter", Rule("<Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"), "InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Object Size." },
        { "delete-marker expiry with tags", Rule("<Filter><Tag><Key>a</Key><Value>b</Value></Tag></Filter>", "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"), "InvalidRequest", "ExpiredObjectDeleteMarker cannot be specified with Tags." },
        { "size bounds crossed", Rule("<Filter><And><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>", "<Expiration><Days>1</Days></Expiration>"), "InvalidRequest", "'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'." },
        { "negative size", Rule("<Filter><ObjectSizeGreaterThan>-1</ObjectSizeGreaterThan></Filter>", "<Expiration><Days>1</Days></Expiration>"), "InvalidRequest", "'ObjectSizeGreaterThan' should be between 0 and 1099511627776000." },
        { "same class twice", Rule("<Filter/>", "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition><Transition><Days>5</Days><StorageClass>GLACIER</StorageClass></Transition>"), "InvalidRequest", "'StorageClass' must be different for 'Transition' actions in same 'Rule'" },
        { "mixed Date and Days transitions", Rule("<Filter/>", "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition><Transition><Date>2030-01-01T00:00:00Z</Date><StorageClass>DEEP_ARCHIVE</StorageClass></Transition>"), "InvalidRequest", "Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule" },
        { "mixed Date expiration and Days transition", Rule("<Filter/>", "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>"), "InvalidRequest", "Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule" },
        { "IA to Glacier under 30 days later", Rule("<Filter/>", "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>45</Days><StorageClass>GLACIER</StorageClass></Transition>"), "InvalidArgument", "'Days' in the Transition action for StorageClass 'GLACIER' must be at least 30 days more than 'Days' in the Transition action for StorageClass 'STANDARD_IA'" },
        { "transition back up the waterfall", Rule("<Filter/>", "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition><Transition><Days>40</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"), "InvalidArgument", "Transition from storageClass 'GLACIER' to storageClass 'STANDARD_IA' is not supported" },
        { "two transitions on the same day", Rule("<Filter/>", "<Transition><Days>5</Days><StorageClass>GLACIER_IR</StorageClass></Transition><Transition><Days>5</Days><StorageClass>GLACIER</StorageClass></Transition>"), "InvalidArgument", "'Days' in the Transition actions for StorageClass 'GLACIER_IR' and 'GLACIER' must be at least one day apart" },
        { "expiry not after the transition", Rule("<Filter/>", "<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>30</Days></Expiration>"), "InvalidArgument", "'Days' in the Expiration action must be greater than 'Days' in the Transition action" },
        { "prefix over 1024", Rule("<Filter><Prefix>" + new string('p', 1025) + "</Prefix></Filter>", "<Expiration><Days>1</Days></Expiration>"), "InvalidRequest", "The maximum size of a prefix is 1024" },
        { "ID over 255", "<Rule><ID>" + new string('i', 256) + "</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>", "InvalidArgument", "ID length should not exceed allowed limit of 255" },

        // Schema violations: MalformedXML.
        { "both Filter and Prefix", Rule("<Filter/><Prefix>a</Prefix>", "<Expiration><Days>1</Days></Expiration>"), "MalformedXML", Malformed },
        { "neither Filter nor Prefix", Rule(string.Empty, "<Expiration><Days>1</Days></Expiration>"), "MalformedXML", Malformed },
        { "two filter predicates", Rule("<Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter>", "<Expiration><Days>1</Days></Expiration>"), "MalformedXML", Malformed },
        { "empty NoncurrentVersionExpiration", Rule("<Filter/>", "<NoncurrentVersionExpiration/>"), "MalformedXML", Malformed },
        { "ExpiredObjectDeleteMarker with Days", Rule("<Filter/>", "<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"), "MalformedXML", Malformed },
        { "empty Expiration", Rule("<Filter/>", "<Expiration/>"), "MalformedXML", Malformed },
        { "missing Status", "<Rule><ID>r</ID><Filter/><Expiration><Days>1</Days></Expiration></Rule>", "MalformedXML", Malformed },
        { "bad Status", "<Rule><ID>r</ID><Filter/><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>", "MalformedXML", Malformed },
        { "missing StorageClass", Rule("<Filter/>", "<Transition><Days>1</Days></Transition>"), "MalformedXML", Malformed },
        { "unknown StorageClass", Rule("<Filter/>", "<Transition><Days>1</Days><StorageClass>STANDARD</StorageClass></Transition>"), "MalformedXML", Malformed },
        { "missing DaysAfterInitiation", Rule("<Filter/>", "<AbortIncompleteMultipartUpload/>"), "MalformedXML", Malformed },
        { "Days not a number", Rule("<Filter/>", "<Expiration><Days>ten</Days></Expiration>"), "MalformedXML", Malformed },
        { "tag without value", Rule("<Filter><Tag><Key>a</Key></Tag></Filter>", "<Expiration><Days>1</Days></Expiration>"), "MalformedXML", Malformed },
        { "two Expirations", Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration><Expiration><Days>2</Days></Expiration>"), "MalformedXML", Malformed },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Refuses_a_bad_rule_with_AWS_code_and_message(string name, string rule, string code, string message)
    {
        var error = Assert.Throws<S3Exception>(() => LifecycleXml.Parse(rule));

        Assert.True(code == error.Error.Code, $"{name}: expected {code}, got {error.Error.Code} ({error.Message})");
        Assert.Equal(message, error.Message);
        Assert.Equal(400, error.Error.HttpStatus);
    }

    [Fact]
    public void Date_error_names_the_argument_and_its_value()
    {
        var error = Assert.Throws<S3Exception>(() => LifecycleXml.Parse(Rule("<Filter/>", "<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>")));

        Assert.Equal("Date", error.Details["ArgumentName"]);
        Assert.Equal("2030-01-01T10:00:00Z", error.Details["ArgumentValue"]);
    }

    [Fact]
    public void Duplicate_IDs_are_InvalidArgument()
    {
        var rule = Rule("<Filter/>", "<Expiration><Days>1</Days></Expiration>");

        var error = Assert.Throws<S3Exception>(() => LifecycleXml.Parse(rule, rule));

        Assert.Equal("InvalidArgument", error.Error.Code);
        Assert.Equal("Rule ID must be unique. Found same ID for more than one rule", error.Message);
    }

    [Fact]
    public void A_thousand_rules_are_accepted_and_one_more_is_MalformedXML()
    {
        var rules = Enumerable.Range(0, 1001)
            .Select(i => $"<Rule><ID>r{i}</ID><Filter><Prefix>p{i}/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>")
            .ToArray();

        Assert.Equal(1000, LifecycleXml.Parse(rules[..1000]).Rules.Count);
        Assert.Equal("MalformedXML", Assert.Throws<S3Exception>(() => LifecycleXml.Parse(rules)).Error.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<LifecycleConfiguration>")]
    [InlineData("<LifecycleConfiguration></LifecycleConfiguration>")]
    [InlineData("<NotLifecycle><Rule/></NotLifecycle>")]
    [InlineData("{\"Rules\": []}")]
    public void Malformed_documents_are_MalformedXML(string body)
    {
        var error = Assert.Throws<S3Exception>(() => LifecycleConfigurationXml.Parse(Encoding.UTF8.GetBytes(body), null));

        Assert.Equal("MalformedXML", error.Error.Code);
    }

    [Theory]
    [InlineData("<Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition>")]
    [InlineData("<Transition><Days>0</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition>")]
    [InlineData("<Transition><Days>0</Days><StorageClass>GLACIER_IR</StorageClass></Transition>")]
    [InlineData("<Transition><Days>0</Days><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition>")]
    [InlineData("<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>61</Days></Expiration>")]
    [InlineData("<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>60</Days><StorageClass>GLACIER_IR</StorageClass></Transition><Transition><Days>150</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition>")]
    [InlineData("<Expiration><Date>2030-01-01</Date></Expiration>")]
    [InlineData("<NoncurrentVersionExpiration><NewerNoncurrentVersions>100</NewerNoncurrentVersions></NoncurrentVersionExpiration>")]
    public void Accepts_the_edges_AWS_allows(string actions)
    {
        Assert.Single(LifecycleXml.Parse(Rule("<Filter/>", actions)).Rules);
    }

    private static string Rule(string scope, string actions) => $"<Rule><ID>r</ID>{scope}<Status>Enabled</Status>{actions}</Rule>";
}
