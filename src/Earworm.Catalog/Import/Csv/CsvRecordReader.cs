using System.Text;

namespace Earworm.Catalog.Import.Csv;

/// <summary>
/// Reads delimited records as RFC 4180 has them: fields separated by one delimiter character, a field in double
/// quotes may hold the delimiter, line breaks and doubled quotes (<c>""</c>); CRLF or LF. Lenient where files in the
/// wild are: a quote inside an unquoted field is kept as text, and a line with nothing on it is skipped. Strict where
/// leniency would misread: text after a closing quote, or a quote never closed, is an error naming the line.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char? delimiter, string fileName)
{
    private int _nextLine = 1;
    private string? _pending;
    private char? _delimiter = delimiter;

    /// <summary>The 1-based line on which the record last read starts.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The delimiter given, else the one <see cref="Detect"/> finds on the first line.</summary>
    public char Delimiter => _delimiter ??= Detect(PeekLine() ?? "");

    /// <summary>The delimiter of a file whose first line is <paramref name="firstLine"/>: the most frequent of
    /// comma, tab, semicolon and bar outside quotes; comma when none occurs.</summary>
    public static char Detect(string firstLine)
    {
        ArgumentNullException.ThrowIfNull(firstLine);
        ReadOnlySpan<char> candidates = [',', '\t', ';', '|'];
        Span<int> counts = stackalloc int[candidates.Length];
        bool quoted = false;
        foreach (char c in firstLine)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && candidates.IndexOf(c) is var i and >= 0) counts[i]++;
        }
        int best = 0;
        for (int i = 1; i < counts.Length; i++)
            if (counts[i] > counts[best]) best = i;
        return counts[best] > 0 ? candidates[best] : ',';
    }

    /// <summary>Looks at the first line without consuming it (null for an empty file).</summary>
    public string? PeekLine() => _pending ??= reader.ReadLine();

    /// <summary>The next record's fields, or null at the end.</summary>
    /// <exception cref="DatasetFormatException">an unterminated quote or text after a closing quote.</exception>
    public List<string>? Read()
    {
        while (true)
        {
            _ = Delimiter; // detected before the first line is consumed
            var line = NextLine();
            if (line is null) return null;
            LineNumber = _nextLine - 1;
            if (line.Length == 0) continue;
            return Split(line);
        }
    }

    private string? NextLine()
    {
        var line = _pending ?? reader.ReadLine();
        _pending = null;
        if (line is not null) _nextLine++;
        return line;
    }

    private List<string> Split(string first)
    {
        char delimiter = Delimiter;
        var fields = new List<string>();
        var field = new StringBuilder();
        string line = first;
        int i = 0;
        while (true)
        {
            // at the start of a field
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        var more = NextLine() ?? throw new DatasetFormatException(fileName, LineNumber, "a quoted field is never closed");
                        field.Append('\n');
                        line = more;
                        i = 0;
                        continue;
                    }
                    char c = line[i++];
                    if (c != '"') field.Append(c);
                    else if (i < line.Length && line[i] == '"') { field.Append('"'); i++; }
                    else break;
                }
                if (i < line.Length && line[i] != delimiter)
                    throw new DatasetFormatException(fileName, LineNumber,
                        $"unexpected '{line[i]}' after the closing quote of field {fields.Count + 1} (quotes inside a quoted field are doubled: \"\")");
            }
            else
            {
                int end = line.IndexOf(delimiter, i);
                if (end < 0) end = line.Length;
                field.Append(line, i, end - i);
                i = end;
            }
            fields.Add(field.ToString());
            field.Clear();
            if (i >= line.Length) return fields;
            i++; // the delimiter
            if (i == line.Length)
            {
                fields.Add("");
                return fields;
            }
        }
    }
}
