using System.Globalization;

namespace Earworm.Catalog.Import.Csv;

/// <summary>
/// The generic listening CSV/TSV (<see cref="InteractionCsvOptions"/> says which columns mean what): a header, then
/// rows of user, item, count and timestamp. Rows with a count of 0 are left out (not a play); the same (user, item)
/// twice without a timestamp is summed by the writer.
/// </summary>
public static class InteractionCsv
{
    /// <param name="baseDirectory">the CSV's folder, against which relative paths are resolved (<see cref="CsvItemKind.Path"/>).</param>
    /// <exception cref="DatasetFormatException">a missing column, a malformed row or value (file, line and reason).</exception>
    public static ListenLog Parse(TextReader reader, string fileName, string baseDirectory, InteractionCsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var csv = new CsvRecordReader(reader, options.Delimiter, fileName);
        var header = csv.Read()
            ?? throw new DatasetFormatException(fileName, 1, $"empty file: expected a header naming the columns ({options.UserColumn}, {options.ItemColumn}, {options.CountColumn}, …)");
        var columns = Columns.Find(header, options, fileName, csv.LineNumber);
        var log = new ListenLog.Builder();
        while (csv.Read() is { } row)
        {
            log.Rows++;
            if (row.Count != header.Count)
                throw new DatasetFormatException(fileName, csv.LineNumber,
                    $"expected {header.Count} fields as in the header, found {row.Count} (delimiter '{Show(csv.Delimiter)}')");
            var listen = ReadRow(row, columns, options, fileName, csv.LineNumber, baseDirectory);
            if (listen is null) log.Ignore("count 0");
            else log.Add(listen);
        }
        return log.Build();
    }

    private static Listen? ReadRow(List<string> row, Columns c, InteractionCsvOptions o, string fileName, int line, string baseDirectory)
    {
        string? user = null;
        if (c.User >= 0)
        {
            user = row[c.User].Trim();
            if (user.Length == 0) throw new DatasetFormatException(fileName, line, $"the {o.UserColumn} is empty");
        }
        double count = 1;
        if (c.Count >= 0)
        {
            var t = row[c.Count].Trim();
            if (!double.TryParse(t, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out count)
                || !double.IsFinite(count))
                throw new DatasetFormatException(fileName, line, $"{o.CountColumn} \"{t}\" is not a non-negative number");
            if (count == 0) return null;
        }
        long? timestamp = null;
        if (c.Timestamp >= 0 && row[c.Timestamp].Trim() is { Length: > 0 } ts)
        {
            if (!Timestamps.TryParse(ts, out long s))
                throw new DatasetFormatException(fileName, line, $"{o.TimestampColumn} \"{ts}\" is neither unix seconds nor an ISO 8601 date and time");
            timestamp = s;
        }
        var artist = c.Artist >= 0 ? NullIfBlank(row[c.Artist]) : null;
        var title = c.Title >= 0 ? NullIfBlank(row[c.Title]) : null;
        var item = new ItemRef { Artist = artist, Title = title };
        var value = c.Item >= 0 ? row[c.Item].Trim() : "";
        if (value.Length > 0) item = WithItem(item, value, o.ItemKind, fileName, line, baseDirectory, o.ItemColumn);
        else if (artist is null || title is null)
            throw new DatasetFormatException(fileName, line, c.Item >= 0
                ? $"the {o.ItemColumn} is empty{(c.Artist >= 0 && c.Title >= 0 ? $" and so is the {o.ArtistColumn} or {o.TitleColumn}" : "")}"
                : $"the {o.ArtistColumn} or {o.TitleColumn} is empty");
        return new Listen(user, item, count, timestamp, line);
    }

    private static ItemRef WithItem(ItemRef item, string value, CsvItemKind kind, string fileName, int line, string baseDirectory, string column)
    {
        switch (kind)
        {
            case CsvItemKind.Key:
                return item with { SourceKey = "csv:" + value };
            case CsvItemKind.TrackId:
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
                    throw new DatasetFormatException(fileName, line, $"{column} \"{value}\" is not a catalog track id");
                return item with { TrackId = id };
            case CsvItemKind.Path:
                return WithLocation(item, value, fileName, line, baseDirectory, column);
            default:
                if (value.StartsWith("track:", StringComparison.OrdinalIgnoreCase))
                    return long.TryParse(value.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out long tid)
                        ? item with { TrackId = tid }
                        : throw new DatasetFormatException(fileName, line, $"{column} \"{value}\": track: takes a catalog track id (a whole number)");
                if (value.StartsWith("file://", StringComparison.OrdinalIgnoreCase) || value.StartsWith('/'))
                    return WithLocation(item, value, fileName, line, baseDirectory, column);
                return item with { SourceKey = "csv:" + value };
        }
    }

    private static ItemRef WithLocation(ItemRef item, string value, string fileName, int line, string baseDirectory, string column)
    {
        var at = Locations.Resolve(value, baseDirectory)
            ?? throw new DatasetFormatException(fileName, line, $"{column} \"{value}\" is neither a path nor a URL");
        return item with { Path = at.Path, Url = at.Url };
    }

    private static string? NullIfBlank(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string Show(char c) => c == '\t' ? "\\t" : c.ToString();

    /// <summary>Where each role's column is in the header; −1 when absent.</summary>
    private sealed record Columns(int User, int Item, int Count, int Timestamp, int Artist, int Title)
    {
        public static Columns Find(List<string> header, InteractionCsvOptions o, string fileName, int line)
        {
            int At(string name) => header.FindIndex(h => string.Equals(h.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
            var c = new Columns(At(o.UserColumn), At(o.ItemColumn), At(o.CountColumn), At(o.TimestampColumn), At(o.ArtistColumn), At(o.TitleColumn));
            if (c.Item < 0 && (c.Artist < 0 || c.Title < 0))
                throw new DatasetFormatException(fileName, line,
                    $"the header has no \"{o.ItemColumn}\" column (nor both \"{o.ArtistColumn}\" and \"{o.TitleColumn}\"); it has " +
                    $"{string.Join(", ", header.Select(h => $"\"{h}\""))}: name yours with --column item=NAME");
            return c;
        }
    }
}
