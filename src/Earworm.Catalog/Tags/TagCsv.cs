using System.Globalization;
using Earworm.Catalog.Import.Csv;

namespace Earworm.Catalog.Tags;

/// <summary>One row of a tags file: what it names (a track id, a path, an artist, "artist – title"), the tag
/// (normalised), its weight and where the row starts.</summary>
public sealed record TagRow(string Item, string Tag, double Weight, int LineNumber);

/// <summary>
/// <c>earworm import tags FILE.csv</c>'s format: rows of <c>item,tag[,weight]</c> (comma, tab, semicolon or bar, as
/// detected; RFC 4180 quoting), an optional header naming those columns, weight a positive number (default 1). The
/// whole file is read first: a malformed row is an error naming the file and line, and nothing is imported.
/// </summary>
public static class TagCsv
{
    /// <exception cref="DatasetFormatException">an empty file, a row without item or tag, a tag of punctuation only, too
    /// long or a weight that is not a positive number.</exception>
    public static IReadOnlyList<TagRow> Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var csv = new CsvRecordReader(reader, null, fileName);
        var rows = new List<TagRow>();
        bool first = true;
        while (csv.Read() is { } fields)
        {
            int line = csv.LineNumber;
            if (first && IsHeader(fields))
            {
                first = false;
                continue;
            }
            first = false;
            if (fields.Count is < 2 or > 3)
                throw new DatasetFormatException(fileName, line, $"{fields.Count} fields: expected item,tag or item,tag,weight");
            var item = fields[0].Trim();
            if (item.Length == 0) throw new DatasetFormatException(fileName, line, "the item is empty");
            var raw = fields[1].Trim();
            if (raw.Length == 0) throw new DatasetFormatException(fileName, line, "the tag is empty");
            var tag = TagText.Normalise(raw)
                ?? throw new DatasetFormatException(fileName, line, raw.Length > TagText.MaxLength
                    ? $"the tag is longer than {TagText.MaxLength} characters"
                    : $"the tag '{raw}' has no letter or digit");
            double weight = 1;
            if (fields.Count == 3 && fields[2].Trim().Length > 0 &&
                (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !double.IsFinite(weight) || weight <= 0))
                throw new DatasetFormatException(fileName, line, $"the weight '{fields[2].Trim()}' is not a positive number");
            rows.Add(new TagRow(item, tag, weight, line));
        }
        if (rows.Count == 0) throw new DatasetFormatException(fileName, 1, "no rows: expected item,tag[,weight] lines");
        return rows;
    }

    private static bool IsHeader(List<string> fields) =>
        fields.Count is 2 or 3 && Is(fields[0], "item") && Is(fields[1], "tag") && (fields.Count == 2 || Is(fields[2], "weight"));

    private static bool Is(string field, string name) => string.Equals(field.Trim(), name, StringComparison.OrdinalIgnoreCase);
}
