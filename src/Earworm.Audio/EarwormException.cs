namespace Earworm;

/// <summary>The root of every error Earworm raises on purpose; the CLI maps subtypes to exit codes.</summary>
public class EarwormException : Exception
{
    public EarwormException(string message) : base(message) { }
    public EarwormException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A tool or file Earworm needs is not there (exit code 2): the message says what to install.</summary>
public sealed class PrerequisiteMissingException(string message) : EarwormException(message);

/// <summary>The user asked for something that cannot be done as asked (exit code 2).</summary>
public sealed class UsageException(string message) : EarwormException(message);

/// <summary>ffmpeg or ffprobe could not read a file; carries the path, exit code and the tail of stderr.</summary>
public sealed class MediaReadException(string path, int? exitCode, string reason)
    : EarwormException($"{path}: {reason}")
{
    public string FilePath { get; } = path;
    public int? ExitCode { get; } = exitCode;
    /// <summary>Why, in a line or a few: ffmpeg's stderr tail or our own diagnosis.</summary>
    public string Reason { get; } = reason;
}
