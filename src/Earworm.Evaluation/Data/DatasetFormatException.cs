namespace Earworm.Evaluation.Data;

/// <summary>A dataset file does not have the format its reader expects: names the file, the 1-based line and why.</summary>
public sealed class DatasetFormatException(string filePath, int lineNumber, string reason)
    : EarwormException($"{filePath}:{lineNumber}: {reason}")
{
    public string FilePath { get; } = filePath;

    /// <summary>1-based, counting the header.</summary>
    public int LineNumber { get; } = lineNumber;

    public string Reason { get; } = reason;
}
