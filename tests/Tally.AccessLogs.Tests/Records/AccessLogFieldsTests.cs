using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Tests.Records;

/// <summary>Guards the field table: order and names must never drift from spec §1.2 and §7.1.</summary>
public sealed class AccessLogFieldsTests
{
    [Fact]
    public void Table_lists_the_27_fields_in_record_order()
    {
        Assert.Equal(Enum.GetValues<AccessLogField>(), AccessLogFields.All.Select(f => f.Field));
        Assert.Equal(27, AccessLogFields.All.Count);
        Assert.Equal(AccessLogFields.Current, (int)AccessLogField.SourceRegion);
        Assert.Equal(AccessLogFields.Minimum, (int)AccessLogField.VersionId);
    }

    [Fact]
    public void Athena_columns_are_those_of_the_current_AWS_DDL()
    {
        Assert.Equal(
            [
                "bucketowner", "bucket_name", "requestdatetime", "remoteip", "requester", "requestid", "operation", "key",
                "request_uri", "httpstatus", "errorcode", "bytessent", "objectsize", "totaltime", "turnaroundtime", "referrer",
                "useragent", "versionid", "hostid", "sigv", "ciphersuite", "authtype", "endpoint", "tlsversion",
                "accesspointarn", "aclrequired", "sourceregion",
            ],
            AccessLogFields.All.Select(f => f.AthenaColumn));
        Assert.Equal(
            ["bytessent", "objectsize"],
            AccessLogFields.All.Where(f => f.AthenaType == "BIGINT").Select(f => f.AthenaColumn));
    }

    [Fact]
    public void Only_Request_URI_Referer_and_User_Agent_are_quoted()
    {
        Assert.Equal(
            [AccessLogField.RequestUri, AccessLogField.Referer, AccessLogField.UserAgent],
            AccessLogFields.All.Where(f => f.Quoted).Select(f => f.Field));
    }

    [Fact]
    public void Record_properties_are_named_after_the_fields_in_the_same_order()
    {
        var properties = typeof(AccessLogRecord).GetProperties()
            .Where(p => p.DeclaringType == typeof(AccessLogRecord) && p.Name != "EqualityContract")
            .Select(p => p.Name);

        Assert.Equal(Enum.GetNames<AccessLogField>(), properties);
    }
}
