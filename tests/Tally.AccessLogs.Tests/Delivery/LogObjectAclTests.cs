using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tally.AccessLogs.Configuration;
using Tally.AccessLogs.Delivery;
using Tally.AccessLogs.Records;
using Tally.Storage.Disk;
using Tally.Storage.Model;

namespace Tally.AccessLogs.Tests.Delivery;

/// <summary>
/// TargetGrants on delivered log objects (spec §4.2, §5.3): the ACL a log object gets, that the
/// grants travel with the spool segment, and that delivery stores the ACL only where the target
/// has ACLs enabled. Real spool directory and real store; the ACL document is a plain text here
/// (the server stores the access model's AccessControlPolicy, tested in Tally.Server.Tests).
/// </summary>
public sealed class LogObjectAclTests : IAsyncLifetime, IDisposable
{
    private const string Grantee = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    private const string AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    private static readonly DateTimeOffset Start = new(2024, 3, 9, 12, 0, 0, TimeSpan.Zero);
    private static readonly TargetGrant ReadToGrantee = new(GranteeType.CanonicalUser, Grantee, null, null, null, "READ");

    private readonly string _dir = Directory.CreateTempSubdirectory("tally-log-acl").FullName;
    private readonly FakeTimeProvider _time = new(Start);
    private DiskObjectStore _store = null!;
    private LoggingRegistry _registry = null!;
    private BucketInfo _source = null!;

    public async Task InitializeAsync()
    {
        _store = DiskObjectStore.Open(Path.Combine(_dir, "data"), _time);
        _registry = new LoggingRegistry(_store, _store);
        _source = new BucketInfo("src", "123456789012", new string('a', 64), "us-east-1", Start);
        await _store.CreateBucketAsync(_source, CancellationToken.None);
        await _store.CreateBucketAsync(_source with { Name = "logs" }, CancellationToken.None);
    }

    public void Dispose() => _registry.Dispose();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_owner_gets_full_control_first_then_each_grant_and_email_grantees_name_no_one()
    {
        var group = new TargetGrant(GranteeType.Group, null, null, null, AuthenticatedUsers, "READ_ACP");
        var email = new TargetGrant(GranteeType.AmazonCustomerByEmail, null, null, "someone@example.com", null, "READ");

        var acl = LogObjectAcl.For("owner-id", [ReadToGrantee, email, group]);

        Assert.Equal("owner-id", acl.OwnerCanonicalId);
        Assert.Equal(
            [new TargetGrant(GranteeType.CanonicalUser, "owner-id", null, null, null, "FULL_CONTROL"), ReadToGrantee, group],
            acl.Grants);
        Assert.Single(LogObjectAcl.For("owner-id", null).Grants);
    }

    [Fact]
    public void The_grants_are_kept_in_the_segment_sidecar_and_a_sidecar_without_them_still_reads()
    {
        var active = new ActiveLogging(_source, new LoggingConfiguration("logs", "p/", [ReadToGrantee]));
        var metadata = SegmentMetadata.Open("seg", active, null, Start);

        var read = SegmentMetadata.FromJson(metadata.ToJson());
        Assert.Equal([ReadToGrantee], read.TargetGrants);

        // Sidecars written before grants were kept have no such property: no grants.
        var older = Encoding.UTF8.GetString((metadata with { TargetGrants = null }).ToJson()).Replace(",\"TargetGrants\":null", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("TargetGrants", older, StringComparison.Ordinal);
        Assert.Null(SegmentMetadata.FromJson(Encoding.UTF8.GetBytes(older)).TargetGrants);
    }

    [Fact]
    public async Task A_delivered_log_object_stores_the_acl_where_the_target_has_acls_enabled()
    {
        await EnableAsync([ReadToGrantee]);
        await using var spool = Open();
        using var worker = Worker(spool, new OwnershipAuthorizer { AclsDisabled = false });
        spool.Write(Record(1));

        var key = Assert.Single((await worker.FlushAsync("src", CancellationToken.None)).Delivered).Key;

        var (info, acl) = await _store.GetObjectAclAsync("logs", key, null, CancellationToken.None);
        Assert.Equal(_source.OwnerCanonicalId, info.OwnerCanonicalId);
        Assert.Equal($"{_source.OwnerCanonicalId}:{_source.OwnerCanonicalId}=FULL_CONTROL;{Grantee}=READ", acl);
    }

    [Fact]
    public async Task Without_grants_or_with_acls_disabled_a_log_object_keeps_the_private_default()
    {
        await EnableAsync(null);
        var authorizer = new OwnershipAuthorizer { AclsDisabled = false };
        await using var spool = Open();
        using var worker = Worker(spool, authorizer);
        spool.Write(Record(1));
        var withoutGrants = Assert.Single((await worker.FlushAsync("src", CancellationToken.None)).Delivered).Key;
        Assert.Null((await _store.GetObjectAclAsync("logs", withoutGrants, null, CancellationToken.None)).Acl);

        // The target became BucketOwnerEnforced after the grants were accepted: they cannot apply.
        await EnableAsync([ReadToGrantee]);
        authorizer.AclsDisabled = true;
        spool.Write(Record(2));
        var enforced = Assert.Single((await worker.FlushAsync("src", CancellationToken.None)).Delivered).Key;
        Assert.Null((await _store.GetObjectAclAsync("logs", enforced, null, CancellationToken.None)).Acl);
    }

    [Fact]
    public async Task Changing_only_the_grants_ends_the_open_segment_so_each_record_keeps_the_grants_of_its_time()
    {
        await EnableAsync(null);
        await using var spool = Open();
        using var worker = Worker(spool, new OwnershipAuthorizer { AclsDisabled = false });
        spool.Write(Record(1));
        await EnableAsync([ReadToGrantee]);
        spool.Write(Record(2));

        var delivered = (await worker.FlushAsync("src", CancellationToken.None)).Delivered;

        Assert.Equal(2, delivered.Count);
        var acls = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var d in delivered)
        {
            await using var read = await _store.GetObjectAsync("logs", d.Key, CancellationToken.None);
            using var reader = new StreamReader(read.Content);
            var requestId = Assert.IsType<string>(AccessLogParser.Parse((await reader.ReadToEndAsync()).TrimEnd('\n')).RequestId);
            acls[requestId] = (await _store.GetObjectAclAsync("logs", d.Key, null, CancellationToken.None)).Acl;
        }

        Assert.Null(acls[RequestId(1)]);
        Assert.EndsWith($";{Grantee}=READ", acls[RequestId(2)], StringComparison.Ordinal);
    }

    // A stand-in for the access model's document: owner, then grantee=permission pairs.
    private static string AclText(LogObjectAcl acl) =>
        acl.OwnerCanonicalId + ":" + string.Join(';', acl.Grants.Select(g => $"{g.Id ?? g.Uri}={g.Permission}"));

    private Task EnableAsync(IReadOnlyList<TargetGrant>? grants) =>
        _registry.SetAsync(_source, new LoggingConfiguration("logs", "p/", grants), (_, _) => Task.CompletedTask, CancellationToken.None);

    private LogDeliveryWorker Worker(LogSpool spool, ILogDeliveryAuthorizer authorizer) =>
        new(spool, _registry, _store, authorizer, _time, NullLogger<LogDeliveryWorker>.Instance, AclText);

    private LogSpool Open() =>
        LogSpool.Open(new SpoolOptions { Directory = Path.Combine(_dir, "spool"), CommitWindow = TimeSpan.Zero }, _registry, _time, NullLogger<LogSpool>.Instance);

    private static string RequestId(int i) => $"REQ{i:D13}";

    private AccessLogRecord Record(int i) => new()
    {
        BucketOwner = _source.OwnerCanonicalId,
        Bucket = "src",
        Time = Start,
        Requester = _source.OwnerCanonicalId,
        RequestId = RequestId(i),
        Operation = "REST.PUT.OBJECT",
        Key = "k",
        HttpStatus = 200,
        HostId = "host",
    };

    /// <summary>Delivery allowed (same owner); whether the target has ACLs disabled is switchable, as its Object Ownership is.</summary>
    private sealed class OwnershipAuthorizer : ILogDeliveryAuthorizer
    {
        public bool AclsDisabled { get; set; }

        public Task<LogDeliveryDecision> AuthorizeAsync(BucketInfo source, BucketInfo target, string key, CancellationToken ct) =>
            Task.FromResult(LogDeliveryDecision.Allow);

        public Task<bool> AclsDisabledAsync(BucketInfo target, CancellationToken ct) => Task.FromResult(AclsDisabled);
    }
}
