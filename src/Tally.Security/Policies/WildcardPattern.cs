namespace Tally.Security.Policies;

/// <summary>
/// A policy pattern: <c>*</c> matches any run of characters (including <c>/</c> and <c>:</c>),
/// <c>?</c> exactly one, as IAM documents for Action, Resource and the *Like operators. With
/// policy variables enabled (Version 2012-10-17) <c>${key}</c> and <c>${key, 'default'}</c>
/// stand for a request-context value, matched literally, and <c>${*}</c>, <c>${?}</c>,
/// <c>${$}</c> for the literal characters. Immutable and thread-safe; compiled once per document.
/// </summary>
internal sealed class WildcardPattern
{
    private readonly Segment[] _segments;
    private readonly Shape _shape;
    private readonly string _literal;
    private readonly StringComparison _comparison;

    private WildcardPattern(string text, Segment[] segments, StringComparison comparison)
    {
        Text = text;
        _segments = segments;
        _comparison = comparison;
        HasVariables = segments.Any(s => s.Kind == SegmentKind.Variable);
        HasWildcards = segments.Any(s => s.Kind is SegmentKind.Star or SegmentKind.Question);
        (_shape, _literal) = segments switch
        {
            [] => (Shape.Exact, string.Empty),
            [{ Kind: SegmentKind.Literal } only] => (Shape.Exact, only.Text),
            [{ Kind: SegmentKind.Star }] => (Shape.Any, string.Empty),
            [{ Kind: SegmentKind.Literal } head, { Kind: SegmentKind.Star }] => (Shape.Prefix, head.Text),
            _ => (Shape.General, string.Empty),
        };
    }

    private enum Shape
    {
        Exact,
        Any,
        Prefix,
        General,
    }

    private enum SegmentKind
    {
        Literal,
        Star,
        Question,
        Variable,
    }

    public string Text { get; }

    public bool HasVariables { get; }

    public bool HasWildcards { get; }

    /// <summary>Compiles <paramref name="text"/>; variables are recognised only when <paramref name="variables"/> is set.</summary>
    public static WildcardPattern Compile(string text, bool ignoreCase, bool variables)
    {
        var segments = new List<Segment>();
        var literal = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '*' or '?')
            {
                Flush();
                segments.Add(new Segment(c == '*' ? SegmentKind.Star : SegmentKind.Question, string.Empty, null));
                continue;
            }

            if (variables && c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (end > 0)
                {
                    var body = text[(i + 2)..end];
                    i = end;
                    switch (body)
                    {
                        case "*" or "?" or "$":
                            literal.Append(body);
                            break;
                        default:
                            Flush();
                            segments.Add(Variable(body));
                            break;
                    }

                    continue;
                }
            }

            literal.Append(c);
        }

        Flush();
        return new WildcardPattern(text, [.. segments], ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        void Flush()
        {
            if (literal.Length > 0)
            {
                segments.Add(new Segment(SegmentKind.Literal, literal.ToString(), null));
                literal.Clear();
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> matches. A variable whose key the context lacks (and that
    /// has no default), or that has several values, makes the pattern match nothing, as in IAM.
    /// </summary>
    public bool IsMatch(string value, PolicyContext? context = null)
    {
        switch (_shape)
        {
            case Shape.Exact:
                return string.Equals(value, _literal, _comparison);
            case Shape.Any:
                return true;
            case Shape.Prefix:
                return value.StartsWith(_literal, _comparison);
        }

        if (!HasVariables)
        {
            return Match(_segments, value, _comparison);
        }

        var resolved = new Segment[_segments.Length];
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment.Kind != SegmentKind.Variable)
            {
                resolved[i] = segment;
                continue;
            }

            var values = context?.Get(segment.Text);
            string? substitute = values is { Count: 1 } ? values[0] : values is null or { Count: 0 } ? segment.Default : null;
            if (substitute is null)
            {
                return false;
            }

            resolved[i] = new Segment(SegmentKind.Literal, substitute, null);
        }

        return Match(resolved, value, _comparison);
    }

    public override string ToString() => Text;

    private static Segment Variable(string body)
    {
        // ${key, 'default'}: the default is used when the key is absent from the request context.
        var comma = body.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return new Segment(SegmentKind.Variable, body.Trim(), null);
        }

        var key = body[..comma].Trim();
        var fallback = body[(comma + 1)..].Trim();
        if (fallback.Length >= 2 && fallback[0] == '\'' && fallback[^1] == '\'')
        {
            fallback = fallback[1..^1];
        }

        return new Segment(SegmentKind.Variable, key, fallback);
    }

    // Greedy matching with backtracking to the last star: linear for the patterns policies use,
    // and never recursive, so a hostile pattern cannot exhaust the stack.
    private static bool Match(Segment[] segments, string value, StringComparison comparison)
    {
        int s = 0, p = 0, starP = -1, starS = 0;
        while (s < value.Length)
        {
            if (p < segments.Length)
            {
                var segment = segments[p];
                switch (segment.Kind)
                {
                    case SegmentKind.Star:
                        starP = p++;
                        starS = s;
                        continue;
                    case SegmentKind.Question:
                        p++;
                        s++;
                        continue;
                    case SegmentKind.Literal when segment.Text.Length <= value.Length - s
                        && string.Compare(value, s, segment.Text, 0, segment.Text.Length, comparison) == 0:
                        p++;
                        s += segment.Text.Length;
                        continue;
                }
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP + 1;
            s = ++starS;
        }

        while (p < segments.Length && (segments[p].Kind == SegmentKind.Star || segments[p].Kind == SegmentKind.Literal && segments[p].Text.Length == 0))
        {
            p++;
        }

        return p == segments.Length;
    }

    private readonly record struct Segment(SegmentKind Kind, string Text, string? Default);
}
