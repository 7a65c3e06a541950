using System.Text;
using Tally.AccessLogs.Configuration;
using Tally.Core.Errors;

namespace Tally.AccessLogs.Tests.Configuration;

public sealed class BucketLoggingStatusXmlTests
{
    private const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    [Fact]
    public void The_full_documented_form_round_trips_element_for_element()
    {
        var xml = $"""
            <BucketLoggingStatus xmlns="{Ns}"><LoggingEnabled><TargetBucket>amzn-s3-demo-logs</TargetBucket><TargetGrants><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>canonical-user-id</ID></Grantee><Permission>READ_ACP</Permission></Grant><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/s3/LogDelivery</URI></Grantee><Permission>WRITE</Permission></Grant></TargetGrants><TargetPrefix>logs/</TargetPrefix><TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>EventTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>
            """;
        var configuration = BucketLoggingStatusXml.Parse(Encoding.UTF8.GetBytes(xml))!;
        Assert.Equal("amzn-s3-demo-logs", configuration.TargetBucket);
        Assert.Equal("READ_ACP", configuration.TargetGrants![0].Permission);
        Assert.Equal(GranteeType.Group, configuration.TargetGrants[1].Type);
        Assert.Equal(PartitionDateSource.EventTime, configuration.KeyFormat!.DateSource);
        Assert.Equal(xml, BucketLoggingStatusXml.ToXml(configuration).ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
        Assert.Equal(configuration, BucketLoggingStatusXml.FromDocument(BucketLoggingStatusXml.ToDocument(configuration)));
    }

    [Fact]
    public void Absent_parts_stay_absent_and_default_when_used()
    {
        var configuration = BucketLoggingStatusXml.Parse(Encoding.UTF8.GetBytes($"<BucketLoggingStatus xmlns=\"{Ns}\"><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix></TargetPrefix></LoggingEnabled></BucketLoggingStatus>"))!;
        Assert.Null(configuration.KeyFormat);
        Assert.Null(configuration.TargetGrants);
        Assert.Equal(string.Empty, configuration.TargetPrefix);
        Assert.False(configuration.EffectiveKeyFormat.Partitioned);
        Assert.Equal($"<BucketLoggingStatus xmlns=\"{Ns}\"><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix></TargetPrefix></LoggingEnabled></BucketLoggingStatus>", BucketLoggingStatusXml.ToDocument(configuration));

        var partitioned = BucketLoggingStatusXml.Parse(Encoding.UTF8.GetBytes($"<BucketLoggingStatus xmlns=\"{Ns}\"><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetObjectKeyFormat><PartitionedPrefix/></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>"))!;
        Assert.Null(partitioned.KeyFormat!.DateSource);
        Assert.True(partitioned.EffectiveKeyFormat.OneDayPerObject);
    }

    [Theory]
    [InlineData("<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\" />")]
    [InlineData("<BucketLoggingStatus xmlns=\"http://doc.s3.amazonaws.com/2006-03-01\"></BucketLoggingStatus>")]
    [InlineData("<BucketLoggingStatus/>")]
    public void An_empty_status_means_logging_off_in_either_namespace(string xml) =>
        Assert.Null(BucketLoggingStatusXml.Parse(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public void The_docs_namespace_typo_is_accepted_for_a_configuration_too()
    {
        var configuration = BucketLoggingStatusXml.Parse(Encoding.UTF8.GetBytes("<BucketLoggingStatus xmlns=\"http://doc.s3.amazonaws.com/2006-03-01\"><LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>x/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"));
        Assert.Equal("x/", configuration!.TargetPrefix);
    }

    [Theory]
    [InlineData("<LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled>")]
    [InlineData("<LoggingEnabled><TargetBucket>t</TargetBucket></LoggingEnabled>")]
    [InlineData("<LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix/></TargetObjectKeyFormat></LoggingEnabled>")]
    [InlineData("<LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetObjectKeyFormat></TargetObjectKeyFormat></LoggingEnabled>")]
    [InlineData("<LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>Whenever</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled>")]
    [InlineData("<LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetGrants><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>x</ID></Grantee><Permission>OWN</Permission></Grant></TargetGrants></LoggingEnabled>")]
    [InlineData("<LoggingEnabled><TargetBucket>t</TargetBucket><TargetPrefix>p</TargetPrefix><TargetGrants><Grant><Grantee><ID>x</ID></Grantee><Permission>READ</Permission></Grant></TargetGrants></LoggingEnabled>")]
    public void Malformed_configurations_are_MalformedXML(string inner)
    {
        var error = Assert.Throws<S3Exception>(() => BucketLoggingStatusXml.Parse(Encoding.UTF8.GetBytes($"<BucketLoggingStatus xmlns=\"{Ns}\">{inner}</BucketLoggingStatus>")));
        Assert.Equal("MalformedXML", error.Error.Code);
    }

    [Fact]
    public void A_different_root_element_is_MalformedXML() =>
        Assert.Equal("MalformedXML", Assert.Throws<S3Exception>(() => BucketLoggingStatusXml.Parse("<LoggingEnabled/>"u8)).Error.Code);
}
