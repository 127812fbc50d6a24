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
public class UsageException(string message) : EarwormException(message)
{
    /// <summary>A value the options' own checks refused, said as one line in the person's words: <paramref name="context"/>
    /// then the check's message without .NET's " (Parameter 'x')" and "Actual value was V." (an out-of-range value is
    /// said as ", got V" instead, unless the message already says it).</summary>
    public static UsageException From(ArgumentException refused, string context = "")
    {
        ArgumentNullException.ThrowIfNull(refused);
        var words = refused.Message;
        int cut = words.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0) words = words[..cut];
        if (refused is ArgumentOutOfRangeException { ActualValue: { } actual } && !words.Contains("got ", StringComparison.Ordinal))
            words = words.TrimEnd('.') + ", got " + (actual is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : actual);
        return new UsageException(context + words);
    }
}

/// <summary>An options record's value out of range, said by the record's property (<see cref="Option"/>) and the rule it
/// breaks (<see cref="Rule"/>: "must be at least 1, got 0."), so a front end can say it by the name a person typed
/// (<c>--factors must be at least 1, got 0.</c>) without reading it back out of the message.</summary>
public sealed class OptionOutOfRangeException(string option, string rule) : ArgumentException($"{option} {rule}", option)
{
    /// <summary>The property of the options record (<c>nameof</c>).</summary>
    public string Option { get; } = option;

    /// <summary>What the value must be, and what it was.</summary>
    public string Rule { get; } = rule;

    public override string Message => $"{Option} {Rule}";
}

/// <summary>A data file (a dataset, a listening export, a playlist) does not have the format its reader expects:
/// names the file, the 1-based line and why; for JSON, also which record (1-based) the line belongs to.</summary>
public sealed class DatasetFormatException : EarwormException
{
    public DatasetFormatException(string filePath, int lineNumber, string reason)
        : base($"{filePath}:{lineNumber}: {reason}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Reason = reason;
    }

    public DatasetFormatException(string filePath, int lineNumber, int recordNumber, string reason)
        : base($"{filePath}:{lineNumber}: record {recordNumber}: {reason}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        RecordNumber = recordNumber;
        Reason = reason;
    }

    public string FilePath { get; }

    /// <summary>1-based, counting any header; for a record spanning lines (a quoted CSV field, a JSON object), where it starts.</summary>
    public int LineNumber { get; }

    /// <summary>1-based index of the JSON record (array element or JSONL line) at fault; null for line-oriented formats.</summary>
    public int? RecordNumber { get; }

    public string Reason { get; }
}
