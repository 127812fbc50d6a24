using Earworm.Catalog.Import.Csv;

namespace Earworm.Catalog.Text;

/// <summary>One text of a texts file or folder: what it is about (as written), the text, and where it starts.</summary>
public sealed record TextRow(string Item, string Body, string File, int LineNumber);

/// <summary>
/// <c>earworm import text</c>'s inputs, read whole before anything is imported: a CSV of <c>item,text</c> rows (RFC 4180
/// quoting, so a text may hold line breaks; an optional <c>item,text</c> header; an unquoted text runs to the end of the
/// line, commas and all), or a folder of <c>.txt</c> and <c>.md</c> files (under it at any depth), each one text about
/// what its name says (file name without extension). An item may say its kind first: <c>artist:</c>, <c>album:</c>,
/// <c>track:</c>.
/// </summary>
public static class TextCsv
{
    /// <summary>Longest text kept, in characters (a book is not a description).</summary>
    public const int MaxLength = 200_000;

    /// <summary>The extensions a folder's texts have.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".txt", ".md"];

    /// <exception cref="DatasetFormatException">an empty file, a row without item or text, a text too long.</exception>
    public static IReadOnlyList<TextRow> Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var csv = new CsvRecordReader(reader, fileName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',', fileName);
        var rows = new List<TextRow>();
        bool first = true;
        while (csv.Read() is { } fields)
        {
            int line = csv.LineNumber;
            if (first && fields.Count == 2 && Is(fields[0], "item") && Is(fields[1], "text"))
            {
                first = false;
                continue;
            }
            first = false;
            if (fields.Count < 2) throw new DatasetFormatException(fileName, line, "1 field: expected item,text");
            var item = fields[0].Trim();
            if (item.Length == 0) throw new DatasetFormatException(fileName, line, "the item is empty");
            var body = string.Join(csv.Delimiter, fields.Skip(1)).Trim();
            rows.Add(new TextRow(item, Checked(body, fileName, line), fileName, line));
        }
        if (rows.Count == 0) throw new DatasetFormatException(fileName, 1, "no rows: expected item,text lines");
        return rows;
    }

    /// <summary>The texts of a folder's <c>.txt</c> and <c>.md</c> files, by path; hidden files and folders left out.</summary>
    /// <exception cref="DatasetFormatException">an empty text, one too long, or a folder with no texts.</exception>
    public static IReadOnlyList<TextRow> ReadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DatasetFormatException(folder, 1, $"no texts: expected {string.Join(" or ", Extensions)} files named after an artist, album or track");
        return [.. files.Select(f => new TextRow(Path.GetFileNameWithoutExtension(f), Checked(File.ReadAllText(f).Trim(), f, 1), f, 1))];
    }

    /// <summary>An item's kind when it says it (<c>album:Blue</c>), and the name after it.</summary>
    public static (TextKind? Kind, string Name) Kind(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        foreach (var kind in Enum.GetValues<TextKind>())
        {
            var prefix = kind.Name() + ":";
            if (item.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && item.Length > prefix.Length)
                return (kind, item[prefix.Length..].Trim());
        }
        return (null, item.Trim());
    }

    private static string Checked(string body, string fileName, int line)
    {
        if (body.Length == 0) throw new DatasetFormatException(fileName, line, "the text is empty");
        if (body.Length > MaxLength) throw new DatasetFormatException(fileName, line, $"the text is longer than {MaxLength} characters");
        if (TextTokens.Terms(body).Count == 0) throw new DatasetFormatException(fileName, line, "the text has no words (only stop words, digits or punctuation)");
        return body;
    }

    private static bool Is(string field, string name) => string.Equals(field.Trim(), name, StringComparison.OrdinalIgnoreCase);
}
