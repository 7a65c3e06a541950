using Tally.Lifecycle.Configuration;

namespace Tally.Lifecycle.Evaluation;

public enum LifecycleActionKind
{
    /// <summary>Permanently delete the current version (bucket without versioning).</summary>
    Expire,

    /// <summary>Add a delete marker over the current version (versioned bucket).</summary>
    CreateDeleteMarker,

    /// <summary>Move the current version to <see cref="LifecycleAction.StorageClass"/>.</summary>
    Transition,

    /// <summary>Permanently delete a noncurrent version.</summary>
    ExpireNoncurrentVersion,

    /// <summary>Move a noncurrent version to <see cref="LifecycleAction.StorageClass"/>.</summary>
    TransitionNoncurrentVersion,

    /// <summary>Remove a delete marker that no noncurrent version is left under.</summary>
    RemoveExpiredDeleteMarker,

    AbortMultipartUpload,
}

/// <summary>What lifecycle does to one object version or upload, which rule asked for it and since when it is due.</summary>
public sealed record LifecycleAction(LifecycleActionKind Kind, string RuleId, DateOnly DueDate, string? StorageClass = null)
{
    /// <summary>The <c>S3.*</c> operation of the access-log record the action writes (spec §2.5).</summary>
    public string LogOperation => Kind switch
    {
        LifecycleActionKind.CreateDeleteMarker => "S3.CREATE.DELETEMARKER",
        LifecycleActionKind.Transition or LifecycleActionKind.TransitionNoncurrentVersion => TransitionClasses.LogOperation(StorageClass!),
        LifecycleActionKind.AbortMultipartUpload => "S3.DELETE.UPLOAD",
        _ => "S3.EXPIRE.OBJECT",
    };
}
