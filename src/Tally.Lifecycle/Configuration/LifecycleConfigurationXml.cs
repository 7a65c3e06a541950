using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Tally.Core.Errors;
using Tally.S3.Xml;

namespace Tally.Lifecycle.Configuration;

/// <summary>
/// The <c>LifecycleConfiguration</c> document of Put/GetBucketLifecycleConfiguration (spec §6.2):
/// parsing with AWS's errors (§6.5), writing what was set. Schema violations are MalformedXML;
/// the rest is <see cref="LifecycleValidator"/>'s. Either namespace is accepted (spec §9.14).
/// </summary>
public static class LifecycleConfigurationXml
{
    private const string DocumentRoot = "TallyLifecycle";
    private const string MinimumSizeAttribute = "TransitionDefaultMinimumObjectSize";

    /// <summary>
    /// Parses and validates a PUT body. <paramref name="transitionDefaultMinimumObjectSize"/> is
    /// the request's <c>x-amz-transition-default-minimum-object-size</c> header (null = default).
    /// Rules without an ID get a generated one, as S3 does. Throws S3Exception.
    /// </summary>
    public static LifecycleRules Parse(ReadOnlySpan<byte> body, string? transitionDefaultMinimumObjectSize)
    {
        var minimumSize = MinimumObjectSize(transitionDefaultMinimumObjectSize);
        var root = S3Xml.ParseRequest(body, "LifecycleConfiguration");
        var rules = new LifecycleRules(ParseRules(root), minimumSize);
        LifecycleValidator.Validate(rules);
        return rules with { Rules = rules.Rules.Select(r => r.Id.Length == 0 ? r with { Id = NewRuleId() } : r).ToList() };
    }

    /// <summary>spec §6.5: the header's two values; anything else is InvalidRequest.</summary>
    public static string MinimumObjectSize(string? header) => header switch
    {
        null => LifecycleRules.AllStorageClasses128K,
        LifecycleRules.AllStorageClasses128K or LifecycleRules.VariesByStorageClass => header,
        _ => throw new S3Exception(S3Errors.InvalidRequest, "Invalid TransitionDefaultMinimumObjectSize found: " + header),
    };

    /// <summary>The GetBucketLifecycleConfiguration answer.</summary>
    public static XElement ToXml(LifecycleRules configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new XElement(S3Xml.N("LifecycleConfiguration"), configuration.Rules.Select(RuleXml));
    }

    /// <summary>The stored form: the GET document wrapped with the minimum-size setting.</summary>
    public static string ToDocument(LifecycleRules configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new XElement(DocumentRoot, new XAttribute(MinimumSizeAttribute, configuration.TransitionDefaultMinimumObjectSize), ToXml(configuration))
            .ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Reads a stored document back (validated when it was stored, so not again).</summary>
    public static LifecycleRules FromDocument(string document)
    {
        var wrapper = XElement.Parse(document);
        var root = wrapper.Child("LifecycleConfiguration") ?? throw new InvalidDataException("Stored lifecycle document has no LifecycleConfiguration.");
        return new LifecycleRules(ParseRules(root), wrapper.Attribute(MinimumSizeAttribute)?.Value ?? LifecycleRules.AllStorageClasses128K);
    }

    internal static List<LifecycleRule> ParseRules(XElement root)
    {
        var elements = root.Children("Rule").ToList();

        // spec §6.5: no rule, or more than 1000, fails the schema.
        if (elements.Count is 0 or > LifecycleRules.MaxRules)
        {
            throw Malformed();
        }

        return elements.Select(ParseRule).ToList();
    }

    private static LifecycleRule ParseRule(XElement rule)
    {
        var status = Single(rule, "Status")?.Value switch
        {
            "Enabled" => true,
            "Disabled" => false,
            _ => throw Malformed(),
        };

        // spec §6.2: the deprecated rule-level Prefix or a Filter, exactly one.
        var rulePrefix = Single(rule, "Prefix");
        var filterElement = Single(rule, "Filter");
        var filter = (rulePrefix, filterElement) switch
        {
            ({ } prefix, null) => new LifecycleFilter { Form = LifecycleFilterForm.RulePrefix, Prefix = prefix.Value },
            (null, { } element) => ParseFilter(element),
            _ => throw Malformed(),
        };

        return new LifecycleRule
        {
            Id = Single(rule, "ID")?.Value ?? string.Empty,
            Enabled = status,
            Filter = filter,
            Expiration = Single(rule, "Expiration") is { } expiration ? ParseExpiration(expiration) : null,
            Transitions = rule.Children("Transition").Select(ParseTransition).ToList(),
            NoncurrentVersionExpiration = Single(rule, "NoncurrentVersionExpiration") is { } noncurrent ? ParseNoncurrentExpiration(noncurrent) : null,
            NoncurrentVersionTransitions = rule.Children("NoncurrentVersionTransition").Select(ParseNoncurrentTransition).ToList(),
            AbortIncompleteMultipartUploadDays = Single(rule, "AbortIncompleteMultipartUpload") is { } abort
                ? Int(Single(abort, "DaysAfterInitiation") ?? throw Malformed())
                : null,
        };
    }

    private static LifecycleFilter ParseFilter(XElement filter)
    {
        var predicates = filter.Elements()
            .Where(e => e.Name.LocalName is "Prefix" or "Tag" or "ObjectSizeGreaterThan" or "ObjectSizeLessThan" or "And")
            .ToList();

        // spec §6.2: a Filter holds one predicate (none = the whole bucket); more is MalformedXML.
        if (predicates.Count > 1)
        {
            throw Malformed();
        }

        if (predicates.Count == 0)
        {
            return LifecycleFilter.Everything;
        }

        var predicate = predicates[0];
        return predicate.Name.LocalName switch
        {
            "Prefix" => new LifecycleFilter { Prefix = predicate.Value },
            "Tag" => new LifecycleFilter { Tags = [ParseTag(predicate)] },
            "ObjectSizeGreaterThan" => new LifecycleFilter { ObjectSizeGreaterThan = Long(predicate) },
            "ObjectSizeLessThan" => new LifecycleFilter { ObjectSizeLessThan = Long(predicate) },
            _ => new LifecycleFilter
            {
                Form = LifecycleFilterForm.And,
                Prefix = Single(predicate, "Prefix")?.Value,
                Tags = predicate.Children("Tag").Select(ParseTag).ToList(),
                ObjectSizeGreaterThan = Single(predicate, "ObjectSizeGreaterThan") is { } greater ? Long(greater) : null,
                ObjectSizeLessThan = Single(predicate, "ObjectSizeLessThan") is { } less ? Long(less) : null,
            },
        };
    }

    private static LifecycleTag ParseTag(XElement tag) =>
        new((Single(tag, "Key") ?? throw Malformed()).Value, (Single(tag, "Value") ?? throw Malformed()).Value);

    private static LifecycleExpiration ParseExpiration(XElement expiration)
    {
        var days = Single(expiration, "Days");
        var date = Single(expiration, "Date");
        var marker = Single(expiration, "ExpiredObjectDeleteMarker");

        // spec §6.2: exactly one of Days, Date, ExpiredObjectDeleteMarker.
        if ((days is null ? 0 : 1) + (date is null ? 0 : 1) + (marker is null ? 0 : 1) != 1)
        {
            throw Malformed();
        }

        return new LifecycleExpiration(days is null ? null : Int(days), date is null ? null : Midnight(date), marker is null ? null : Bool(marker));
    }

    private static LifecycleTransition ParseTransition(XElement transition)
    {
        var days = Single(transition, "Days");
        var date = Single(transition, "Date");
        if ((days is null) == (date is null))
        {
            throw Malformed();
        }

        return new LifecycleTransition(days is null ? null : Int(days), date is null ? null : Midnight(date), StorageClass(transition));
    }

    private static NoncurrentVersionExpiration ParseNoncurrentExpiration(XElement noncurrent)
    {
        var days = Single(noncurrent, "NoncurrentDays");
        var newer = Single(noncurrent, "NewerNoncurrentVersions");

        // spec §6.5: an empty NoncurrentVersionExpiration is MalformedXML.
        if (days is null && newer is null)
        {
            throw Malformed();
        }

        return new NoncurrentVersionExpiration(days is null ? null : Int(days), newer is null ? null : Int(newer));
    }

    private static NoncurrentVersionTransition ParseNoncurrentTransition(XElement transition)
    {
        var days = Single(transition, "NoncurrentDays") ?? throw Malformed();
        var newer = Single(transition, "NewerNoncurrentVersions");
        return new NoncurrentVersionTransition(Int(days), StorageClass(transition), newer is null ? null : Int(newer));
    }

    private static string StorageClass(XElement transition)
    {
        // spec §6.2: StorageClass is required and one of the TransitionStorageClass enum.
        var value = Single(transition, "StorageClass")?.Value;
        return value is not null && TransitionClasses.IsTarget(value) ? value : throw Malformed();
    }

    /// <summary>spec §6.5: a Date must be a midnight UTC; otherwise InvalidArgument naming it.</summary>
    private static DateOnly Midnight(XElement element)
    {
        var text = element.Value.Trim();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "Date must be in ISO 8601 format", ("ArgumentName", "Date"), ("ArgumentValue", text));
        }

        if (date.UtcDateTime.TimeOfDay != TimeSpan.Zero)
        {
            throw S3Exception.With(S3Errors.InvalidArgument, "'Date' must be at midnight GMT", ("ArgumentName", "Date"), ("ArgumentValue", text));
        }

        return DateOnly.FromDateTime(date.UtcDateTime);
    }

    private static XElement RuleXml(LifecycleRule rule)
    {
        var element = new XElement(S3Xml.N("Rule"), new XElement(S3Xml.N("ID"), rule.Id));
        element.Add(rule.Filter.Form == LifecycleFilterForm.RulePrefix
            ? new XElement(S3Xml.N("Prefix"), rule.Filter.Prefix ?? string.Empty)
            : FilterXml(rule.Filter));
        element.Add(new XElement(S3Xml.N("Status"), rule.Enabled ? "Enabled" : "Disabled"));
        foreach (var transition in rule.Transitions)
        {
            element.Add(new XElement(
                S3Xml.N("Transition"),
                transition.Date is { } date ? new XElement(S3Xml.N("Date"), DateText(date)) : new XElement(S3Xml.N("Days"), Text(transition.Days!.Value)),
                new XElement(S3Xml.N("StorageClass"), transition.StorageClass)));
        }

        if (rule.Expiration is { } expiration)
        {
            element.Add(new XElement(
                S3Xml.N("Expiration"),
                expiration.Days is { } days ? new XElement(S3Xml.N("Days"), Text(days)) : null,
                expiration.Date is { } date ? new XElement(S3Xml.N("Date"), DateText(date)) : null,
                expiration.ExpiredObjectDeleteMarker is { } marker ? new XElement(S3Xml.N("ExpiredObjectDeleteMarker"), marker ? "true" : "false") : null));
        }

        foreach (var transition in rule.NoncurrentVersionTransitions)
        {
            element.Add(new XElement(
                S3Xml.N("NoncurrentVersionTransition"),
                new XElement(S3Xml.N("NoncurrentDays"), Text(transition.NoncurrentDays)),
                new XElement(S3Xml.N("StorageClass"), transition.StorageClass),
                transition.NewerNoncurrentVersions is { } newer ? new XElement(S3Xml.N("NewerNoncurrentVersions"), Text(newer)) : null));
        }

        if (rule.NoncurrentVersionExpiration is { } noncurrent)
        {
            element.Add(new XElement(
                S3Xml.N("NoncurrentVersionExpiration"),
                noncurrent.NoncurrentDays is { } days ? new XElement(S3Xml.N("NoncurrentDays"), Text(days)) : null,
                noncurrent.NewerNoncurrentVersions is { } newer ? new XElement(S3Xml.N("NewerNoncurrentVersions"), Text(newer)) : null));
        }

        if (rule.AbortIncompleteMultipartUploadDays is { } abortDays)
        {
            element.Add(new XElement(S3Xml.N("AbortIncompleteMultipartUpload"), new XElement(S3Xml.N("DaysAfterInitiation"), Text(abortDays))));
        }

        return element;
    }

    private static XElement FilterXml(LifecycleFilter filter)
    {
        var predicates = new List<XElement>();
        if (filter.Prefix is { } prefix)
        {
            predicates.Add(new XElement(S3Xml.N("Prefix"), prefix));
        }

        predicates.AddRange(filter.Tags.Select(t => new XElement(S3Xml.N("Tag"), new XElement(S3Xml.N("Key"), t.Key), new XElement(S3Xml.N("Value"), t.Value))));
        if (filter.ObjectSizeGreaterThan is { } greater)
        {
            predicates.Add(new XElement(S3Xml.N("ObjectSizeGreaterThan"), Text(greater)));
        }

        if (filter.ObjectSizeLessThan is { } less)
        {
            predicates.Add(new XElement(S3Xml.N("ObjectSizeLessThan"), Text(less)));
        }

        return filter.Form == LifecycleFilterForm.And
            ? new XElement(S3Xml.N("Filter"), new XElement(S3Xml.N("And"), predicates))
            : new XElement(S3Xml.N("Filter"), predicates);
    }

    /// <summary>An optional element that may appear at most once; twice fails the schema.</summary>
    private static XElement? Single(XElement parent, string name)
    {
        XElement? found = null;
        foreach (var child in parent.Children(name))
        {
            if (found is not null)
            {
                throw Malformed();
            }

            found = child;
        }

        return found;
    }

    private static int Int(XElement element) =>
        int.TryParse(element.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed();

    private static long Long(XElement element) =>
        long.TryParse(element.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed();

    private static bool Bool(XElement element)
    {
        try
        {
            return XmlConvert.ToBoolean(element.Value.Trim());
        }
        catch (FormatException)
        {
            throw Malformed();
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string DateText(DateOnly date) => S3Xml.Timestamp(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    /// <summary>S3 names a rule without an ID with a generated one: 48 characters, base64 of a UUID's text.</summary>
    private static string NewRuleId() => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Guid.NewGuid().ToString()));

    private static S3Exception Malformed() => new(S3Errors.MalformedXML);
}
