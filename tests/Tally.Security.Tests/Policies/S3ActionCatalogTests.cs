using Tally.S3.Operations;
using Tally.Security.Policies;

namespace Tally.Security.Tests.Policies;

public sealed class S3ActionCatalogTests
{
    [Fact]
    public void Every_IAM_action_of_the_operation_table_is_in_the_catalog_with_its_resource_kind()
    {
        foreach (var op in S3Operations.All)
        {
            Assert.True(S3ActionCatalog.Actions.TryGetValue(op.IamAction, out var kind), $"{op.Name}: {op.IamAction} is not in the catalog");
            var expected = op.Target switch
            {
                S3Target.Object => S3ResourceKinds.Object,
                S3Target.Bucket when op == S3Operations.DeleteObjects => S3ResourceKinds.Object,
                S3Target.Bucket => S3ResourceKinds.Bucket,
                _ => S3ResourceKinds.Account,
            };
            Assert.True(kind == expected, $"{op.Name}: {op.IamAction} is {kind}, expected {expected}");
        }
    }

    [Theory]
    [InlineData("s3:GetObjectVersion")]
    [InlineData("s3:DeleteObjectVersion")]
    [InlineData("s3:GetObjectVersionAcl")]
    [InlineData("s3:PutObjectVersionAcl")]
    [InlineData("s3:GetObjectVersionTagging")]
    [InlineData("s3:PutObjectVersionTagging")]
    [InlineData("s3:DeleteObjectVersionTagging")]
    public void The_version_actions_the_server_asks_for_exist(string action) =>
        Assert.Equal(S3ResourceKinds.Object, S3ActionCatalog.Actions[action]);
}
