using System.Text;
using Tally.Lifecycle.Configuration;

namespace Tally.Lifecycle.Tests;

/// <summary>Builds lifecycle configurations from AWS's XML, the way users write them.</summary>
internal static class LifecycleXml
{
    public static byte[] Document(params string[] rules) =>
        Encoding.UTF8.GetBytes("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + string.Concat(rules) + "</LifecycleConfiguration>");

    public static LifecycleRules Parse(params string[] rules) => LifecycleConfigurationXml.Parse(Document(rules), null);
}
