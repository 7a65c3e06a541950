namespace Tally.S3.Operations;

/// <summary>
/// One row of the operation table. Routing, authorization and access logging all read it; log
/// operation names are not derivable from API names (spec §2.1), so they are data here.
/// </summary>
/// <param name="Name">AWS API name; also the handler's file name.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Target">Service, bucket or object.</param>
/// <param name="SubResource">Query parameter that selects the operation (null: none of the known ones).</param>
/// <param name="IamAction">IAM action checked by authorization.</param>
/// <param name="LogOperation">Operation field of the access-log record.</param>
/// <param name="RequiredHeader">Header whose presence selects this row over its sibling (x-amz-copy-source).</param>
public sealed record S3Operation(
    string Name,
    string Method,
    S3Target Target,
    string? SubResource,
    string IamAction,
    string LogOperation,
    string? RequiredHeader = null);
