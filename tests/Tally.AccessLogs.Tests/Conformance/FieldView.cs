using System.Globalization;

namespace Tally.AccessLogs.Tests.Conformance;

/// <summary>
/// A record as another project's parser shows it: its field names mapped to text. A field with no
/// value is left out, as those parsers leave out a field that is "-" in the line.
/// </summary>
internal sealed class FieldView
{
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public void Add(string name, object? value)
    {
        if (value is not null)
        {
            Fields[name] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }
    }

    /// <summary>
    /// Asserts that every expected field is in <paramref name="actual"/> with the same text, naming the
    /// field in the failure so that one run shows which value is off.
    /// </summary>
    public static void AssertMatches(IEnumerable<(string Name, string? Value)> expected, IReadOnlyDictionary<string, string> actual)
    {
        foreach (var (name, value) in expected)
        {
            Assert.True(actual.TryGetValue(name, out var got), $"{name} has no value");
            Assert.True(value == got, $"{name}: expected '{value}', got '{got}'");
        }
    }
}
