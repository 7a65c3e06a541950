using Tally.Core.Errors;
using Tally.S3.Operations;

namespace Tally.S3.Tests;

public sealed class OperationTableTests
{
    /// <summary>spec §2.2–§2.4: the Operation field AWS writes for each API (not derivable from the name).</summary>
    public static TheoryData<string, string> SpecLogOperations => new()
    {
        { "GetObject", "REST.GET.OBJECT" },
        { "HeadObject", "REST.HEAD.OBJECT" },
        { "PutObject", "REST.PUT.OBJECT" },
        { "DeleteObject", "REST.DELETE.OBJECT" },
        { "CopyObject", "REST.COPY.OBJECT" },
        { "DeleteObjects", "REST.POST.MULTI_OBJECT_DELETE" },
        { "GetObjectAcl", "REST.GET.ACL" },
        { "PutObjectAcl", "REST.PUT.ACL" },
        { "GetObjectTagging", "REST.GET.OBJECT_TAGGING" },
        { "PutObjectTagging", "REST.PUT.OBJECT_TAGGING" },
        { "DeleteObjectTagging", "REST.DELETE.OBJECT_TAGGING" },
        { "RestoreObject", "REST.POST.RESTORE" },
        { "CreateMultipartUpload", "REST.POST.UPLOADS" },
        { "UploadPart", "REST.PUT.PART" },
        { "UploadPartCopy", "REST.COPY.PART" },
        { "CompleteMultipartUpload", "REST.POST.UPLOAD" },
        { "AbortMultipartUpload", "REST.DELETE.UPLOAD" },
        { "ListParts", "REST.GET.UPLOAD" },
        { "ListMultipartUploads", "REST.GET.UPLOADS" },
        { "ListObjects", "REST.GET.BUCKET" },
        { "ListObjectsV2", "REST.GET.BUCKET" },
        { "CreateBucket", "REST.PUT.BUCKET" },
        { "DeleteBucket", "REST.DELETE.BUCKET" },
        { "HeadBucket", "REST.HEAD.BUCKET" },
        { "ListObjectVersions", "REST.GET.BUCKETVERSIONS" },
        { "GetBucketLocation", "REST.GET.LOCATION" },
        { "GetBucketLogging", "REST.GET.LOGGING_STATUS" },
        { "PutBucketLogging", "REST.PUT.LOGGING_STATUS" },
        { "GetBucketAcl", "REST.GET.ACL" },
        { "PutBucketAcl", "REST.PUT.ACL" },
        { "GetBucketPolicy", "REST.GET.BUCKETPOLICY" },
        { "PutBucketPolicy", "REST.PUT.BUCKETPOLICY" },
        { "DeleteBucketPolicy", "REST.DELETE.BUCKETPOLICY" },
        { "GetBucketPolicyStatus", "REST.GET.POLICY_STATUS" },
        { "GetBucketLifecycleConfiguration", "REST.GET.LIFECYCLE" },
        { "PutBucketLifecycleConfiguration", "REST.PUT.LIFECYCLE" },
        { "DeleteBucketLifecycle", "REST.DELETE.LIFECYCLE" },
        { "GetBucketVersioning", "REST.GET.VERSIONING" },
        { "PutBucketVersioning", "REST.PUT.VERSIONING" },
        { "GetBucketTagging", "REST.GET.TAGGING" },
        { "PutBucketTagging", "REST.PUT.TAGGING" },
        { "DeleteBucketTagging", "REST.DELETE.TAGGING" },
        { "GetPublicAccessBlock", "REST.GET.PUBLIC_ACCESS_BLOCK" },
        { "PutPublicAccessBlock", "REST.PUT.PUBLIC_ACCESS_BLOCK" },
        { "GetBucketOwnershipControls", "REST.GET.OWNERSHIP_CONTROLS" },
    };

    [Theory]
    [MemberData(nameof(SpecLogOperations))]
    public void Log_operation_names_are_the_ones_the_spec_lists(string api, string logOperation)
    {
        var row = Assert.Single(S3Operations.All, o => o.Name == api);
        Assert.Equal(logOperation, row.LogOperation);
    }

    [Fact]
    public void Every_row_has_a_unique_api_name_and_an_s3_iam_action()
    {
        Assert.Equal(S3Operations.All.Count, S3Operations.All.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(S3Operations.All, o => Assert.StartsWith("s3:", o.IamAction, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_row_is_what_its_own_request_resolves_to()
    {
        // No two rows match the same request (garnet's UniqueRespCommandIds, applied to S3).
        foreach (var row in S3Operations.All)
        {
            var resolved = S3Operations.Resolve(
                row.Method,
                row.Target,
                name => name == row.SubResource,
                name => name == row.RequiredHeader);
            Assert.Same(row, resolved);
        }
    }

    [Fact]
    public void A_copy_source_header_turns_a_put_into_a_copy()
    {
        Assert.Same(S3Operations.CopyObject, S3Operations.Resolve("PUT", S3Target.Object, _ => false, h => h == "x-amz-copy-source"));
        Assert.Same(S3Operations.PutObject, S3Operations.Resolve("PUT", S3Target.Object, _ => false, _ => false));
    }

    [Theory]
    [InlineData("website")]
    [InlineData("cors")]
    [InlineData("encryption")]
    public void Sub_resources_Tally_does_not_serve_answer_NotImplemented(string subResource)
    {
        var error = Assert.Throws<S3Exception>(() => S3Operations.Resolve("GET", S3Target.Bucket, q => q == subResource, _ => false));
        Assert.Equal("NotImplemented", error.Error.Code);
        Assert.Equal(501, error.Error.HttpStatus);
    }

    [Fact]
    public void A_method_a_resource_does_not_support_answers_MethodNotAllowed()
    {
        var error = Assert.Throws<S3Exception>(() => S3Operations.Resolve("PATCH", S3Target.Object, _ => false, _ => false));
        Assert.Equal("MethodNotAllowed", error.Error.Code);
    }

    [Fact]
    public void Error_catalogue_spells_CrossLocationLoggingProhibitted_as_AWS_does()
    {
        Assert.Equal("CrossLocationLoggingProhibitted", S3Errors.CrossLocationLoggingProhibitted.Code);
        Assert.Equal(403, S3Errors.CrossLocationLoggingProhibitted.HttpStatus);
    }
}
