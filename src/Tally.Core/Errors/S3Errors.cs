namespace Tally.Core.Errors;

/// <summary>
/// The one catalogue of S3 errors (STYLE.md §3 habit 7). Codes, statuses and messages are AWS's,
/// spelling included (CrossLocationLoggingProhibitted). Nothing else builds an error code.
/// </summary>
public static class S3Errors
{
    public static readonly S3Error AccessDenied = new("AccessDenied", 403, "Access Denied");
    public static readonly S3Error AccessControlListNotSupported = new("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
    public static readonly S3Error AuthorizationHeaderMalformed = new("AuthorizationHeaderMalformed", 400, "The authorization header is malformed.");
    public static readonly S3Error AuthorizationQueryParametersError = new("AuthorizationQueryParametersError", 400, "Error parsing the X-Amz-Credential parameter.");
    public static readonly S3Error BadDigest = new("BadDigest", 400, "The Content-MD5 or checksum value that you specified did not match what the server received.");
    public static readonly S3Error BucketAlreadyExists = new("BucketAlreadyExists", 409, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
    public static readonly S3Error BucketAlreadyOwnedByYou = new("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.");
    public static readonly S3Error BucketNotEmpty = new("BucketNotEmpty", 409, "The bucket you tried to delete is not empty");
    public static readonly S3Error CrossLocationLoggingProhibitted = new("CrossLocationLoggingProhibitted", 403, "Cross S3 location logging not allowed.");
    public static readonly S3Error EntityTooLarge = new("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.");
    public static readonly S3Error EntityTooSmall = new("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.");
    public static readonly S3Error ExpiredToken = new("ExpiredToken", 400, "The provided token has expired.");
    public static readonly S3Error IllegalLocationConstraintException = new("IllegalLocationConstraintException", 400, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
    public static readonly S3Error IncompleteBody = new("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header.");
    public static readonly S3Error InternalError = new("InternalError", 500, "We encountered an internal error. Please try again.");
    public static readonly S3Error InvalidAccessKeyId = new("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.");
    public static readonly S3Error InvalidArgument = new("InvalidArgument", 400, "Invalid Argument");
    public static readonly S3Error InvalidBucketName = new("InvalidBucketName", 400, "The specified bucket is not valid.");
    public static readonly S3Error InvalidBucketState = new("InvalidBucketState", 409, "The request is not valid with the current state of the bucket.");
    public static readonly S3Error InvalidDigest = new("InvalidDigest", 400, "The Content-MD5 you specified is not valid.");
    public static readonly S3Error InvalidLocationConstraint = new("InvalidLocationConstraint", 400, "The specified location-constraint is not valid");
    public static readonly S3Error InvalidObjectState = new("InvalidObjectState", 403, "The operation is not valid for the object's storage class");
    public static readonly S3Error InvalidPart = new("InvalidPart", 400, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
    public static readonly S3Error InvalidPartOrder = new("InvalidPartOrder", 400, "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
    public static readonly S3Error InvalidRange = new("InvalidRange", 416, "The requested range is not satisfiable");
    public static readonly S3Error InvalidRequest = new("InvalidRequest", 400, "Invalid Request");
    public static readonly S3Error InvalidStorageClass = new("InvalidStorageClass", 400, "The storage class you specified is not valid");
    public static readonly S3Error InvalidTag = new("InvalidTag", 400, "The tag provided was not a valid tag.");
    public static readonly S3Error InvalidTargetBucketForLogging = new("InvalidTargetBucketForLogging", 400, "The target bucket for logging does not exist");
    public static readonly S3Error KeyTooLongError = new("KeyTooLongError", 400, "Your key is too long");
    public static readonly S3Error MalformedPolicy = new("MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'");
    public static readonly S3Error MalformedXML = new("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema");
    public static readonly S3Error MetadataTooLarge = new("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.");
    public static readonly S3Error MethodNotAllowed = new("MethodNotAllowed", 405, "The specified method is not allowed against this resource.");
    public static readonly S3Error MissingContentLength = new("MissingContentLength", 411, "You must provide the Content-Length HTTP header.");
    public static readonly S3Error MissingSecurityHeader = new("MissingSecurityHeader", 400, "Your request is missing a required header.");
    public static readonly S3Error NoSuchBucket = new("NoSuchBucket", 404, "The specified bucket does not exist");
    public static readonly S3Error NoSuchBucketPolicy = new("NoSuchBucketPolicy", 404, "The bucket policy does not exist");
    public static readonly S3Error NoSuchKey = new("NoSuchKey", 404, "The specified key does not exist.");
    public static readonly S3Error NoSuchLifecycleConfiguration = new("NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist");
    public static readonly S3Error NoSuchTagSet = new("NoSuchTagSet", 404, "The TagSet does not exist");
    public static readonly S3Error NoSuchUpload = new("NoSuchUpload", 404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    public static readonly S3Error NoSuchVersion = new("NoSuchVersion", 404, "The specified version does not exist.");
    public static readonly S3Error NotImplemented = new("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
    public static readonly S3Error NotModified = new("NotModified", 304, "Not Modified");
    public static readonly S3Error OwnershipControlsNotFoundError = new("OwnershipControlsNotFoundError", 404, "The bucket ownership controls were not found");
    public static readonly S3Error PreconditionFailed = new("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold");
    public static readonly S3Error RequestTimeTooSkewed = new("RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large.");
    public static readonly S3Error RestoreAlreadyInProgress = new("RestoreAlreadyInProgress", 409, "Object restore is already in progress");
    public static readonly S3Error SignatureDoesNotMatch = new("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    public static readonly S3Error TooManyBuckets = new("TooManyBuckets", 400, "You have attempted to create more buckets than allowed");
    public static readonly S3Error XAmzContentSHA256Mismatch = new("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed.");
    public static readonly S3Error NoSuchPublicAccessBlockConfiguration = new("NoSuchPublicAccessBlockConfiguration", 404, "The public access block configuration was not found");
    public static readonly S3Error InvalidPolicyDocument = new("InvalidPolicyDocument", 400, "The content of the form does not meet the conditions specified in the policy document.");
    public static readonly S3Error UnexpectedContent = new("UnexpectedContent", 400, "This request does not support content");
    public static readonly S3Error InvalidEncryptionAlgorithmError = new("InvalidEncryptionAlgorithmError", 400, "The encryption request you specified is not valid. The valid value is AES256.");
    public static readonly S3Error ServiceUnavailable = new("ServiceUnavailable", 503, "Please reduce your request rate.");
    public static readonly S3Error SlowDown = new("SlowDown", 503, "Please reduce your request rate.");
    public static readonly S3Error MalformedACLError = new("MalformedACLError", 400, "The XML you provided was not well-formed or did not validate against our published schema");
    public static readonly S3Error InvalidURI = new("InvalidURI", 400, "Couldn't parse the specified URI.");
    public static readonly S3Error RequestHeaderSectionTooLarge = new("RequestHeaderSectionTooLarge", 400, "Your request header section exceeds the maximum allowed size.");
    public static readonly S3Error UnsupportedSignature = new("InvalidRequest", 400, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
    public static readonly S3Error InvalidToken = new("InvalidToken", 400, "The provided token is malformed or otherwise invalid.");
    public static readonly S3Error MalformedTrailerError = new("MalformedTrailerError", 400, "The request contained trailing data that was not well-formed or did not conform to our published schema.");
    public static readonly S3Error InvalidChunkSizeError = new("InvalidChunkSizeError", 400, "Only the last chunk is allowed to have a size less than 8192 bytes");
    public static readonly S3Error InvalidPartNumber = new("InvalidPartNumber", 416, "The requested partnumber is not satisfiable");
    public static readonly S3Error InvalidBucketAclWithObjectOwnership = new("InvalidBucketAclWithObjectOwnership", 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
    public static readonly S3Error UnresolvableGrantByEmailAddress = new("UnresolvableGrantByEmailAddress", 400, "The e-mail address you provided does not match any account on record.");
    public static readonly S3Error ObjectAlreadyInActiveTierError = new("ObjectAlreadyInActiveTierError", 403, "This action is not allowed against this storage tier");
    public static readonly S3Error InvalidBucketAclWithBlockPublicAccessError = new("InvalidBucketAclWithBlockPublicAccessError", 400, "Bucket cannot have public ACLs set with BlockPublicAccess enabled");
}
