using System.Net;
using System.Net.Sockets;

namespace Tally.EndToEnd.Hosting;

internal static class FreePort
{
    /// <summary>A loopback port the OS just handed out; free again once the listener is stopped.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
