using System.Net;
using Amazon.S3.Model;

namespace Tally.Server.Tests;

public sealed class AnonymousWriteTests() : ServerWithBucket("dropbox")
{
    [Fact]
    public async Task Anonymous_put_and_delete_allowed_by_a_bucket_policy_succeed()
    {
        // A new bucket blocks public access (AWS's default): a policy for everyone needs the block gone first.
        await S3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = Bucket });
        await S3.PutBucketPolicyAsync(new PutBucketPolicyRequest
        {
            BucketName = Bucket,
            Policy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"AnonymousDrop","Effect":"Allow","Principal":"*",
                 "Action":["s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::dropbox/*"}]}
                """,
        });

        using var http = Server.Http();
        using var put = await http.PutAsync("/dropbox/inbox/note.txt", new StringContent("from nobody"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using (var get = await S3.GetObjectAsync(Bucket, "inbox/note.txt"))
        {
            Assert.Equal("from nobody", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }

        using var delete = await http.DeleteAsync("/dropbox/inbox/note.txt");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var denied = await http.GetAsync("/dropbox/inbox/note.txt");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }
}
