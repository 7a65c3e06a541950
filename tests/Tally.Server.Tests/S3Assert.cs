using System.Net;
using Amazon.S3;

namespace Tally.Server.Tests;

internal static class S3Assert
{
    public static async Task<AmazonS3Exception> FailsWith(string code, HttpStatusCode status, Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        return error;
    }
}
