using Tally.AccessLogs.Records;

namespace Tally.AccessLogs.Tests.Records;

public sealed class AccessLogKeyTests
{
    [Theory]
    [InlineData("a=b", "a%253Db")] // spec §1.4: NCBI N703%3DDropSeq logged as N703%253DDropSeq
    [InlineData("\"", "%2522")] // spec §1.4: cocoonlife issue
    [InlineData("SRR9154112/*.fastq*", "SRR9154112/*.fastq*")] // NCBI line 2: sent %2A, logged *
    [InlineData("a-b_c.d/E9", "a-b_c.d/E9")]
    [InlineData("my key", "my%2520key")]
    [InlineData("~+%", "%257E%252B%2525")]
    [InlineData("é", "%25C3%25A9")]
    public void Encodes_twice_for_REST_operations(string key, string logged)
    {
        Assert.Equal(logged, AccessLogKey.Encode(key, "REST.GET.OBJECT"));
        Assert.Equal(key, AccessLogKey.Decode(logged, "REST.GET.OBJECT"));
    }

    [Theory]
    [InlineData("BATCH.DELETE.OBJECT")]
    [InlineData("S3.EXPIRE.OBJECT")]
    [InlineData("S3.TRANSITION_SIA.OBJECT")]
    public void Encodes_once_for_records_S3_writes_itself(string operation)
    {
        Assert.Equal("100%25%20a%3Db", AccessLogKey.Encode("100% a=b", operation));
        Assert.Equal("100% a=b", AccessLogKey.Decode("100%25%20a%3Db", operation));
    }

    [Theory]
    [InlineData("REST.PUT.OBJECT", false)]
    [InlineData("WEBSITE.GET.OBJECT", false)]
    [InlineData("REST.COPY.OBJECT_GET", false)]
    [InlineData(null, false)]
    [InlineData("BATCH.DELETE.OBJECT", true)]
    [InlineData("S3.CREATE.DELETEMARKER", true)]
    public void Knows_which_operations_are_encoded_once(string? operation, bool once)
    {
        Assert.Equal(once, AccessLogKey.IsEncodedOnce(operation));
    }

    [Fact]
    public void Decoding_twice_a_once_encoded_percent_would_be_wrong_so_the_operation_decides()
    {
        // Yelp: "decoding twice will fail on keys that contain percent".
        Assert.Equal("a%3Db", AccessLogKey.Decode("a%253Db", "BATCH.DELETE.OBJECT"));
        Assert.Equal("a=b", AccessLogKey.Decode("a%253Db", "REST.DELETE.OBJECT"));
    }

    [Fact]
    public void Leaves_sequences_that_are_not_percent_encoded_UTF_8_alone()
    {
        Assert.Equal("%ZZ%", AccessLogKey.Decode("%ZZ%", "S3.EXPIRE.OBJECT"));
        Assert.Equal("a+b", AccessLogKey.Decode("a+b", "REST.GET.OBJECT"));
    }
}
