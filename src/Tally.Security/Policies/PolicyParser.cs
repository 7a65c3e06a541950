using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tally.Core.Errors;

namespace Tally.Security.Policies;

/// <summary>
/// JSON → <see cref="PolicyDocument"/>, validating as S3 does. Messages are the ones S3 answers
/// where they are recorded (versitygw's and mantle's recordings: first byte, invalid Json, empty
/// Statement, version, invalid principal/action/resource, "Action does not apply to any
/// resource(s) in statement", "Missing required field …"); the rest follow the same style.
/// </summary>
internal static partial class PolicyParser
{
    // S3 limits a bucket policy to 20 KB (bucket-policies.html).
    public const int MaxBucketPolicyBytes = 20 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    private static readonly Dictionary<string, ConditionOperator> Operators =
        Enum.GetValues<ConditionOperator>().ToDictionary(o => o.ToString(), StringComparer.Ordinal);

    private static readonly HashSet<string> TopLevelFields = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementFields = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    };

    public static PolicyDocument Parse(string json, PolicyKind kind, string? bucket)
    {
        var trimmed = json.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '{')
        {
            throw Malformed("Policies must be valid JSON and the first byte must be '{'");
        }

        if (kind == PolicyKind.Bucket && Encoding.UTF8.GetByteCount(json) > MaxBucketPolicyBytes)
        {
            throw Malformed("Policy document is too large. The maximum size is 20 KB.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException)
        {
            throw Malformed("This policy contains invalid Json");
        }

        using (document)
        {
            var root = document.RootElement;
            var fields = Fields(root);
            foreach (var name in fields.Keys)
            {
                if (!TopLevelFields.Contains(name))
                {
                    throw Malformed($"Unknown field {name}");
                }
            }

            var version = PolicyDocument.Version2008;
            if (fields.TryGetValue("Version", out var versionElement))
            {
                version = versionElement.ValueKind == JsonValueKind.String ? versionElement.GetString()! : string.Empty;
                if (version is not (PolicyDocument.Version2012 or PolicyDocument.Version2008))
                {
                    throw Malformed("The policy must contain a valid version string");
                }
            }

            string? id = null;
            if (fields.TryGetValue("Id", out var idElement))
            {
                id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw Malformed("This policy contains invalid Json");
            }

            if (!fields.TryGetValue("Statement", out var statementElement))
            {
                throw Malformed("Missing required field Statement");
            }

            var statementElements = statementElement.ValueKind switch
            {
                JsonValueKind.Object => [statementElement],
                JsonValueKind.Array => statementElement.EnumerateArray().ToList(),
                _ => throw Malformed("This policy contains invalid Json"),
            };
            if (statementElements.Count == 0)
            {
                throw Malformed("Could not parse the policy: Statement is empty!");
            }

            var variables = version == PolicyDocument.Version2012;
            var statements = new List<PolicyStatement>(statementElements.Count);
            var sids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in statementElements)
            {
                var statement = ParseStatement(element, statements.Count, kind, bucket, variables);
                if (statement.Sid is not null && !sids.Add(statement.Sid))
                {
                    throw Malformed("Statement IDs (SID) in a single policy must be unique.");
                }

                statements.Add(statement);
            }

            return new PolicyDocument(kind, version, id, statements, json);
        }
    }

    private static PolicyStatement ParseStatement(JsonElement element, int index, PolicyKind kind, string? bucket, bool variables)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("This policy contains invalid Json");
        }

        var fields = Fields(element);
        foreach (var name in fields.Keys)
        {
            if (!StatementFields.Contains(name))
            {
                throw Malformed($"Unknown field {name}");
            }
        }

        string? sid = null;
        if (fields.TryGetValue("Sid", out var sidElement))
        {
            sid = sidElement.ValueKind == JsonValueKind.String ? sidElement.GetString() : throw Malformed("This policy contains invalid Json");
        }

        if (!fields.TryGetValue("Effect", out var effectElement))
        {
            throw Malformed("Missing required field Effect");
        }

        var effectText = effectElement.ValueKind == JsonValueKind.String ? effectElement.GetString() : effectElement.GetRawText();
        var effect = effectText switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            _ => throw Malformed($"Invalid effect: {effectText}"),
        };

        var (principal, notPrincipal) = ParsePrincipal(fields, kind);
        var (actionElement, notAction) = OneOf(fields, "Action", "NotAction");
        var actions = Strings(actionElement, "Action")
            .Select(a => CompileAction(a, kind))
            .ToArray();
        var (resourceElement, notResource) = OneOf(fields, "Resource", "NotResource");
        var resources = Strings(resourceElement, "Resource")
            .Select(r => CompileResource(r, kind, bucket, variables))
            .ToArray();

        if (!notAction && !notResource)
        {
            CheckActionsApply(actions, resources, kind);
        }

        var conditions = fields.TryGetValue("Condition", out var conditionElement)
            ? ParseConditions(conditionElement, variables)
            : [];
        return new PolicyStatement(index, sid, effect, principal, notPrincipal, actions, notAction, resources, notResource, conditions);
    }

    private static (PolicyPrincipalSet? Set, bool Not) ParsePrincipal(Dictionary<string, JsonElement> fields, PolicyKind kind)
    {
        var hasPrincipal = fields.TryGetValue("Principal", out var principal);
        var hasNot = fields.TryGetValue("NotPrincipal", out var notPrincipal);
        if (kind == PolicyKind.Identity)
        {
            if (hasPrincipal || hasNot)
            {
                throw Malformed($"Has prohibited field {(hasPrincipal ? "Principal" : "NotPrincipal")}");
            }

            return (null, false);
        }

        if (hasPrincipal == hasNot)
        {
            throw Malformed(hasPrincipal ? "Statement cannot have both Principal and NotPrincipal" : "Missing required field Principal");
        }

        return (ParsePrincipalSet(hasPrincipal ? principal : notPrincipal), hasNot);
    }

    private static PolicyPrincipalSet ParsePrincipalSet(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? new PolicyPrincipalSet(true, [], [], [], [])
                : throw Malformed("Invalid principal in policy");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("Invalid principal in policy");
        }

        var everyone = false;
        var accounts = new List<string>();
        var arns = new List<string>();
        var canonical = new List<string>();
        var services = new List<string>();
        var any = false;
        foreach (var (type, value) in Fields(element))
        {
            var names = Strings(value, "Principal");
            if (names.Count == 0)
            {
                throw Malformed("Invalid principal in policy");
            }

            foreach (var name in names)
            {
                any = true;
                switch (type)
                {
                    case "AWS" when name == "*":
                        everyone = true;
                        break;
                    case "AWS" when AccountIdPattern().IsMatch(name):
                        accounts.Add(name);
                        break;
                    case "AWS" when RootArnPattern().Match(name) is { Success: true } root:
                        accounts.Add(root.Groups[1].Value);
                        break;
                    case "AWS" when PrincipalArnPattern().IsMatch(name):
                        arns.Add(name);
                        break;
                    case "CanonicalUser" when CanonicalUserPattern().IsMatch(name):
                        canonical.Add(name);
                        break;
                    case "Service" when ServicePattern().IsMatch(name):
                        services.Add(name);
                        break;
                    default:
                        throw Malformed("Invalid principal in policy");
                }
            }
        }

        return any
            ? new PolicyPrincipalSet(everyone, accounts, arns, canonical, services)
            : throw Malformed("Invalid principal in policy");
    }

    private static WildcardPattern CompileAction(string action, PolicyKind kind)
    {
        if (action == "*")
        {
            return WildcardPattern.Compile(action, ignoreCase: true, variables: false);
        }

        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == action.Length - 1)
        {
            throw Malformed("Policy has invalid action");
        }

        var pattern = WildcardPattern.Compile(action, ignoreCase: true, variables: false);
        var isS3 = action.AsSpan(0, colon).Equals("s3", StringComparison.OrdinalIgnoreCase);

        // An identity policy may hold other services' actions (they never match an S3 request);
        // a bucket policy may only name S3 actions that exist.
        if (isS3 ? S3ActionCatalog.KindsMatching(pattern) == S3ResourceKinds.None : kind == PolicyKind.Bucket)
        {
            throw Malformed("Policy has invalid action");
        }

        return pattern;
    }

    private static WildcardPattern CompileResource(string resource, PolicyKind kind, string? bucket, bool variables)
    {
        const string Prefix = "arn:aws:s3:::";
        if (kind == PolicyKind.Identity && (resource == "*" || resource.StartsWith("arn:", StringComparison.Ordinal)))
        {
            return WildcardPattern.Compile(resource, ignoreCase: false, variables);
        }

        if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || resource.Length == Prefix.Length)
        {
            throw Malformed("Policy has invalid resource");
        }

        // A bucket policy can only speak of its own bucket: the part before the first '/' must be
        // able to match the bucket's name.
        if (bucket is not null)
        {
            var path = resource[Prefix.Length..];
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            var bucketPart = slash < 0 ? path : path[..slash];
            var bucketPattern = WildcardPattern.Compile(bucketPart, ignoreCase: false, variables);
            if (!bucketPattern.HasVariables && !bucketPattern.IsMatch(bucket) && !(slash < 0 && bucketPattern.IsMatch(bucket + "/")))
            {
                throw Malformed("Policy has invalid resource");
            }
        }

        return WildcardPattern.Compile(resource, ignoreCase: false, variables);
    }

    private static void CheckActionsApply(WildcardPattern[] actions, WildcardPattern[] resources, PolicyKind kind)
    {
        var covered = S3ResourceKinds.None;
        foreach (var resource in resources)
        {
            covered |= ResourceKinds(resource.Text);
        }

        foreach (var action in actions)
        {
            if (action.Text == "*" || !action.Text.StartsWith("s3:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var kinds = S3ActionCatalog.KindsMatching(action);
            if (kind == PolicyKind.Bucket ? (kinds & covered) == S3ResourceKinds.None : kinds != S3ResourceKinds.None && (kinds & covered) == S3ResourceKinds.None)
            {
                throw Malformed("Action does not apply to any resource(s) in statement");
            }
        }
    }

    // Which kinds of S3 resource a Resource pattern can match: a '/' means objects; a pattern
    // without one names the bucket, and also objects when a wildcard can stand for the '/'.
    private static S3ResourceKinds ResourceKinds(string resource)
    {
        if (resource == "*")
        {
            return S3ResourceKinds.Bucket | S3ResourceKinds.Object | S3ResourceKinds.Account;
        }

        if (!resource.StartsWith("arn:aws:s3:::", StringComparison.Ordinal))
        {
            return S3ResourceKinds.None;
        }

        var path = resource["arn:aws:s3:::".Length..];
        if (path.Contains('/', StringComparison.Ordinal))
        {
            return S3ResourceKinds.Object;
        }

        return path.Contains('*', StringComparison.Ordinal) ? S3ResourceKinds.Bucket | S3ResourceKinds.Object : S3ResourceKinds.Bucket;
    }

    private static List<PolicyCondition> ParseConditions(JsonElement element, bool variables)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("This policy contains invalid Json");
        }

        var conditions = new List<PolicyCondition>();
        foreach (var (operatorName, keys) in Fields(element))
        {
            var (op, ifExists, qualifier) = ParseOperator(operatorName);
            if (keys.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("This policy contains invalid Json");
            }

            foreach (var (key, values) in Fields(keys))
            {
                if (!ConditionKeyPattern().IsMatch(key))
                {
                    throw Malformed("Policy has an invalid condition key");
                }

                try
                {
                    conditions.Add(new PolicyCondition(operatorName, op, ifExists, qualifier, key, Strings(values, "Condition"), variables));
                }
                catch (FormatException)
                {
                    throw Malformed($"Invalid Condition value for {operatorName} : {key}");
                }
            }
        }

        return conditions;
    }

    private static (ConditionOperator Op, bool IfExists, ConditionSetQualifier Qualifier) ParseOperator(string name)
    {
        var rest = name;
        var qualifier = ConditionSetQualifier.None;
        if (rest.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            qualifier = ConditionSetQualifier.ForAnyValue;
            rest = rest["ForAnyValue:".Length..];
        }
        else if (rest.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = ConditionSetQualifier.ForAllValues;
            rest = rest["ForAllValues:".Length..];
        }

        var ifExists = rest.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            rest = rest[..^"IfExists".Length];
        }

        if (!Operators.TryGetValue(rest, out var op)
            || op == ConditionOperator.Null && (ifExists || qualifier != ConditionSetQualifier.None))
        {
            throw Malformed($"Invalid Condition type : {name}");
        }

        return (op, ifExists, qualifier);
    }

    private static (JsonElement Element, bool Not) OneOf(Dictionary<string, JsonElement> fields, string positive, string negative)
    {
        var hasPositive = fields.TryGetValue(positive, out var element);
        var hasNegative = fields.TryGetValue(negative, out var negated);
        return (hasPositive, hasNegative) switch
        {
            (true, false) => (element, false),
            (false, true) => (negated, true),
            (true, true) => throw Malformed($"Statement cannot have both {positive} and {negative}"),
            _ => throw Malformed($"Missing required field {positive}"),
        };
    }

    // A string or an array of strings. Condition values may also be numbers or booleans, kept as their JSON text.
    private static List<string> Strings(JsonElement element, string field)
    {
        var values = new List<string>();
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                values.Add(Scalar(item, field));
            }
        }
        else
        {
            values.Add(Scalar(element, field));
        }

        return values;
    }

    private static string Scalar(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when field == "Condition" => element.GetRawText(),
        _ => throw Malformed(field switch
        {
            "Principal" => "Invalid principal in policy",
            "Action" => "Policy has invalid action",
            "Resource" => "Policy has invalid resource",
            _ => "This policy contains invalid Json",
        }),
    };

    // An object's members; a name given twice is refused rather than silently keeping one of
    // them, so the policy enforced is the one its author reviewed.
    private static Dictionary<string, JsonElement> Fields(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("This policy contains invalid Json");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw Malformed("This policy contains invalid Json");
            }
        }

        return fields;
    }

    private static S3Exception Malformed(string message) => new(S3Errors.MalformedPolicy, message);

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^arn:aws:iam::([0-9]{12}):root$")]
    private static partial Regex RootArnPattern();

    [GeneratedRegex(@"^arn:aws:(iam::[0-9]{12}:(user|role)/[\w+=,.@/-]+|sts::[0-9]{12}:(assumed-role|federated-user)/[\w+=,.@/-]+)$")]
    private static partial Regex PrincipalArnPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex CanonicalUserPattern();

    [GeneratedRegex(@"^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$")]
    private static partial Regex ServicePattern();

    [GeneratedRegex(@"^[A-Za-z0-9-]+:[^\s]+$")]
    private static partial Regex ConditionKeyPattern();
}
