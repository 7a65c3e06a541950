using System.Text.Json;
using System.Text.Json.Serialization;
using Tally.Storage.Disk;

namespace Tally.Lifecycle.Execution;

/// <summary>How far the runner got, after garage's lifecycle worker: a run for one lifecycle date is
/// Running (bucket, scan range, key marker) until it completes.</summary>
public sealed record LifecycleProgress
{
    public required DateOnly Date { get; init; }

    public bool Completed { get; init; }

    /// <summary>The <see cref="Evaluation.LifecycleCalendar.Id"/> the dates count on (null: real days).</summary>
    public string? Calendar { get; init; }

    /// <summary>The bucket being scanned; null before the first.</summary>
    public string? Bucket { get; init; }

    public LifecyclePhase Phase { get; init; }

    /// <summary>Which of the bucket's scan ranges (one per rule prefix, or the whole bucket).</summary>
    public int Range { get; init; }

    /// <summary>Exclusive: the last key whose versions (or uploads) were all handled.</summary>
    public string? KeyMarker { get; init; }

    /// <summary>With <see cref="KeyMarker"/> in the uploads phase: the last upload handled.</summary>
    public string? UploadIdMarker { get; init; }

    public LifecycleCounters Counters { get; init; } = new();
}

public enum LifecyclePhase
{
    Objects,
    Uploads,
}

/// <summary>What a run did so far (for its whole date, across restarts).</summary>
public sealed record LifecycleCounters
{
    public long BucketsScanned { get; init; }

    /// <summary>Object versions and delete markers evaluated: the cost of a run.</summary>
    public long VersionsVisited { get; init; }

    public long UploadsVisited { get; init; }

    public long Expired { get; init; }

    public long DeleteMarkersCreated { get; init; }

    public long Transitioned { get; init; }

    public long NoncurrentExpired { get; init; }

    public long DeleteMarkersRemoved { get; init; }

    public long UploadsAborted { get; init; }

    /// <summary>Actions not taken because the version changed between evaluation and action.</summary>
    public long Skipped { get; init; }

    public long Actions => Expired + DeleteMarkersCreated + Transitioned + NoncurrentExpired + DeleteMarkersRemoved + UploadsAborted;
}

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LifecycleProgress))]
internal sealed partial class LifecycleProgressJson : JsonSerializerContext;

/// <summary>
/// The progress as a small JSON file, replaced atomically (write, fsync, rename, fsync the
/// directory: <see cref="DurableFiles.WriteAtomically"/>). Losing the last
/// save to a power cut costs one page of re-evaluation: actions are conditional on the version
/// evaluated, so nothing is done twice.
/// </summary>
public sealed class LifecycleProgressFile(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Null when no run has ever saved progress (or the file is unreadable: start over).</summary>
    public LifecycleProgress? Load()
    {
        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize(stream, LifecycleProgressJson.Default.LifecycleProgress);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(LifecycleProgress progress)
    {
        _ = Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        DurableFiles.WriteAtomically(Path, JsonSerializer.SerializeToUtf8Bytes(progress, LifecycleProgressJson.Default.LifecycleProgress));
    }
}
