using Tally.Storage.Model;

namespace Tally.Storage.Tests.Disk;

/// <summary>The ACL document a write carries (ObjectWrite.Acl) is stored with the version it creates.</summary>
public sealed class DiskObjectStoreAclTests : IAsyncLifetime, IDisposable
{
    private const string Document = "<AccessControlPolicy>public-read</AccessControlPolicy>";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StoreFixture _f = new();

    public Task InitializeAsync() => _f.CreateBucketAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _f.Dispose();

    [Theory]
    [InlineData(10)]
    [InlineData(200_000)]
    public async Task A_put_stores_its_acl_with_the_version_and_an_overwrite_without_one_is_back_to_the_default(int size)
    {
        var bytes = new byte[size];
        await _f.Store.PutBucketVersioningAsync("bucket", VersioningStatus.Enabled, None);
        var first = await _f.Objects.PutObjectAsync("bucket", "k", StoreFixture.Body(bytes), StoreFixture.Write() with { Acl = Document }, None);
        Assert.Equal(Document, (await _f.Objects.GetObjectAclAsync("bucket", "k", null, None)).Acl);

        var second = await _f.Objects.PutObjectAsync("bucket", "k", StoreFixture.Body(bytes), StoreFixture.Write(), None);
        Assert.Null((await _f.Objects.GetObjectAclAsync("bucket", "k", second.VersionId, None)).Acl);
        Assert.Equal(Document, (await _f.Objects.GetObjectAclAsync("bucket", "k", first.VersionId, None)).Acl);
    }

    [Fact]
    public async Task A_multipart_upload_keeps_its_acl_across_a_restart_until_it_completes()
    {
        var upload = await _f.Objects.CreateMultipartUploadAsync("bucket", "big", StoreFixture.Write() with { Acl = Document }, None);
        Assert.Equal(Document, upload.Write.Acl);
        await _f.ReopenAsync();

        Assert.Equal(Document, (await _f.Objects.GetMultipartUploadAsync("bucket", "big", upload.UploadId, None)).Write.Acl);
        var part = await _f.Objects.UploadPartAsync("bucket", "big", upload.UploadId, 1, StoreFixture.Body("only part"), new PartWrite(), None);
        await _f.Objects.CompleteMultipartUploadAsync("bucket", "big", upload.UploadId, [new(1, part.ETag)], None);

        Assert.Equal(Document, (await _f.Objects.GetObjectAclAsync("bucket", "big", null, None)).Acl);
    }
}
