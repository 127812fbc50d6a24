namespace Earworm;

/// <summary>ffmpeg or ffprobe could not read a file; carries the path, exit code and the tail of stderr.</summary>
public sealed class MediaReadException(string path, int? exitCode, string reason)
    : EarwormException($"{path}: {reason}")
{
    public string FilePath { get; } = path;
    public int? ExitCode { get; } = exitCode;
    /// <summary>Why, in a line or a few: ffmpeg's stderr tail or our own diagnosis.</summary>
    public string Reason { get; } = reason;
    /// <summary>What ffmpeg said the file holds before it failed (container, streams, tags), when it got that far.</summary>
    public Earworm.Audio.Media.MediaInfo? Media { get; init; }
}
