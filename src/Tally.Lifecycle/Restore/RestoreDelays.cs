using System.Globalization;
using Tally.Storage.Model;

namespace Tally.Lifecycle.Restore;

/// <summary>
/// How long each retrieval tier takes before a restored copy is readable (spec §6.6). AWS takes
/// minutes to hours (GLACIER: Expedited 1–5 min, Standard 3–5 h, Bulk 5–12 h; DEEP_ARCHIVE:
/// Standard ≤ 12 h, Bulk ≤ 48 h, no Expedited); Tally keeps the order at a testable scale.
/// Defaults: Expedited 10 s, Standard 60 s, Bulk 300 s, DEEP_ARCHIVE Standard 144 s and Bulk 1200 s.
/// </summary>
public sealed record RestoreDelays(TimeSpan Expedited, TimeSpan Standard, TimeSpan Bulk, TimeSpan DeepArchiveStandard, TimeSpan DeepArchiveBulk)
{
    // Before Default: static initializers run in order, and Default parses with these names.
    private static readonly string[] TierNames = ["Expedited", "Standard", "Bulk", "DeepArchiveStandard", "DeepArchiveBulk"];

    /// <summary>The names <see cref="Parse"/> accepts (any case), in the order of the record.</summary>
    public static IReadOnlyList<string> Names => TierNames;

    public static TimeSpan DefaultStandard { get; } = TimeSpan.FromSeconds(60);

    public static RestoreDelays Default { get; } = FromStandard(DefaultStandard);

    /// <summary>Every tier scaled from the Standard delay (the old single <c>--restore-delay-seconds</c>).</summary>
    public static RestoreDelays FromStandard(TimeSpan standard) => Parse(null, standard);

    /// <summary>
    /// Reads <c>TIER=SECONDS[,TIER=SECONDS…]</c> (names from <see cref="Names"/>, seconds ≥ 0,
    /// fractions allowed). <paramref name="standard"/> is the Standard delay given on its own; the
    /// tiers not named are scaled from Standard as the defaults are: Expedited = Standard / 6,
    /// Bulk = Standard × 5, DeepArchiveStandard = Standard × 2.4 (AWS: 12 h against 5 h) and
    /// DeepArchiveBulk = Bulk × 4 (48 h against 12 h).
    /// </summary>
    /// <exception cref="FormatException">The text is malformed, names a tier twice or an unknown tier, or a delay is negative.</exception>
    public static RestoreDelays Parse(string? spec, TimeSpan? standard)
    {
        var given = new TimeSpan?[Names.Count];
        if (standard is { } alone)
        {
            given[1] = alone >= TimeSpan.Zero ? alone : throw new FormatException("the Standard restore delay must be seconds >= 0");
        }

        if (spec is not null)
        {
            foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
            {
                var (name, value) = part.Split('=', StringSplitOptions.TrimEntries) is [var n, var v] && n.Length > 0
                    ? (n, v)
                    : throw new FormatException($"'{part}': expected TIER=SECONDS, tiers {string.Join(", ", Names)}");
                var index = IndexOf(name);
                if (index < 0)
                {
                    throw new FormatException($"unknown tier '{name}': expected one of {string.Join(", ", Names)}");
                }

                if (given[index] is not null)
                {
                    throw new FormatException(index == 1 && standard is not null
                        ? "'Standard' is given twice (--restore-delay-seconds sets it already)"
                        : $"'{Names[index]}' is given twice");
                }

                given[index] = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new FormatException($"'{part}': the delay must be seconds >= 0");
            }
        }

        var standardDelay = given[1] ?? DefaultStandard;
        var bulk = given[2] ?? standardDelay * 5;
        return new RestoreDelays(
            given[0] ?? standardDelay / 6,
            standardDelay,
            bulk,
            given[3] ?? standardDelay * 2.4,
            given[4] ?? bulk * 4);
    }

    /// <summary>
    /// The delay of <paramref name="tier"/> for an object of <paramref name="storageClass"/>;
    /// null when AWS offers no such retrieval (Expedited from DEEP_ARCHIVE).
    /// </summary>
    public TimeSpan? For(string tier, string? storageClass) => (tier, storageClass == StorageClasses.DeepArchive) switch
    {
        ("Expedited", true) => null,
        ("Expedited", false) => Expedited,
        ("Bulk", true) => DeepArchiveBulk,
        ("Bulk", false) => Bulk,
        (_, true) => DeepArchiveStandard,
        _ => Standard,
    };

    private static int IndexOf(string name) =>
        Array.FindIndex(TierNames, known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
}
