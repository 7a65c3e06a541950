using System.Collections.Frozen;
using System.Net.Security;
using System.Security.Authentication;

namespace Tally.Server.Pipeline;

/// <summary>
/// TLS facts in the words AWS logs use (spec §1.2 fields 21, 24): OpenSSL cipher names
/// (<c>ECDHE-RSA-AES128-GCM-SHA256</c>; TLS 1.3 suites keep their IANA names, as OpenSSL does)
/// and <c>TLSv1.2</c>-style versions.
/// </summary>
public static class TlsNames
{
    private static readonly FrozenDictionary<TlsCipherSuite, string> OpenSsl = new Dictionary<TlsCipherSuite, string>
    {
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256] = "TLS_AES_128_GCM_SHA256",
        [TlsCipherSuite.TLS_AES_256_GCM_SHA384] = "TLS_AES_256_GCM_SHA384",
        [TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256] = "TLS_CHACHA20_POLY1305_SHA256",
        [TlsCipherSuite.TLS_AES_128_CCM_SHA256] = "TLS_AES_128_CCM_SHA256",
        [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] = "ECDHE-RSA-AES128-GCM-SHA256",
        [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384] = "ECDHE-RSA-AES256-GCM-SHA384",
        [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] = "ECDHE-ECDSA-AES128-GCM-SHA256",
        [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384] = "ECDHE-ECDSA-AES256-GCM-SHA384",
        [TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256] = "ECDHE-RSA-CHACHA20-POLY1305",
        [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256] = "ECDHE-ECDSA-CHACHA20-POLY1305",
        [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA] = "ECDHE-RSA-AES128-SHA",
        [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA] = "ECDHE-RSA-AES256-SHA",
        [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA] = "ECDHE-ECDSA-AES128-SHA",
        [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA] = "ECDHE-ECDSA-AES256-SHA",
        [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256] = "ECDHE-RSA-AES128-SHA256",
        [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384] = "ECDHE-RSA-AES256-SHA384",
        [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256] = "ECDHE-ECDSA-AES128-SHA256",
        [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384] = "ECDHE-ECDSA-AES256-SHA384",
        [TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256] = "DHE-RSA-AES128-GCM-SHA256",
        [TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384] = "DHE-RSA-AES256-GCM-SHA384",
        [TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256] = "AES128-GCM-SHA256",
        [TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384] = "AES256-GCM-SHA384",
        [TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA] = "AES128-SHA",
        [TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA] = "AES256-SHA",
        [TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256] = "AES128-SHA256",
        [TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256] = "AES256-SHA256",
    }.ToFrozenDictionary();

    /// <summary>The OpenSSL name; an unlisted suite keeps its IANA name rather than being dropped.</summary>
    public static string? CipherSuite(TlsCipherSuite? suite) =>
        suite is not { } s ? null : OpenSsl.TryGetValue(s, out var name) ? name : s.ToString();

#pragma warning disable SYSLIB0039, CA5397 // TLS 1.0/1.1 are named for the log only; the server does not enable them.
    public static string? Version(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls11 => "TLSv1.1",
        SslProtocols.Tls => "TLSv1",
        _ => null,
    };
#pragma warning restore SYSLIB0039, CA5397
}
