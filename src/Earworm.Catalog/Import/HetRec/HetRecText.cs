using System.Globalization;

namespace Earworm.Catalog.Import.HetRec;

/// <summary>What every HetRec file shares: a tab-separated header line, then rows of a fixed column count.</summary>
internal static class HetRecText
{
    public static string Escaped(string text) => text.Replace("\t", "\\t", StringComparison.Ordinal);

    public static int Id(ReadOnlySpan<char> text, string column, string fileName, int lineNumber)
    {
        var t = text.Trim();
        if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            throw new DatasetFormatException(fileName, lineNumber, $"{column} \"{t}\" is not a non-negative integer");
        return id;
    }

    /// <summary>Rows of <paramref name="columns"/> tab-separated fields after the header <paramref name="header"/>
    /// (compared case-insensitively); blank lines skipped. The last column may hold anything but a tab.</summary>
    public static IEnumerable<(string[] Fields, int LineNumber)> Rows(TextReader reader, string fileName, string header)
    {
        int columns = header.Split('\t').Length;
        int lineNumber = 1;
        string? line = reader.ReadLine();
        if (line is null) throw new DatasetFormatException(fileName, lineNumber, $"empty file: expected the header \"{Escaped(header)}\"");
        if (!string.Equals(line.Trim(), header, StringComparison.OrdinalIgnoreCase))
            throw new DatasetFormatException(fileName, lineNumber, $"expected the header \"{Escaped(header)}\", found \"{Escaped(line)}\"");
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split('\t');
            if (fields.Length != columns)
                throw new DatasetFormatException(fileName, lineNumber,
                    $"expected {columns} tab-separated columns ({header.Replace("\t", ", ", StringComparison.Ordinal)}), found {fields.Length}");
            yield return (fields, lineNumber);
        }
    }
}
