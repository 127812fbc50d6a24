using System.Globalization;

namespace Earworm.Catalog.Import.HetRec;

/// <summary>One row of HetRec's <c>user_artists.dat</c>: the dataset's own ids and the play count, with its line.</summary>
public readonly record struct UserArtistRow(int UserId, int ArtistId, float Weight, int LineNumber);

/// <summary>
/// HetRec 2011 Last.fm 2K's <c>user_artists.dat</c> as raw rows: one header line (<see cref="Header"/>), then
/// userID, artistID (non-negative integers) and weight (a non-negative number, the play count), tab-separated;
/// CRLF or LF; blank lines are skipped. The one parser of this file: the evaluation's dense-index reader and the
/// catalog importer both read through it.
/// </summary>
public static class HetRecUserArtists
{
    /// <summary>The column names of the header line, tab-separated.</summary>
    public const string Header = "userID\tartistID\tweight";

    /// <summary>The rows in file order, weight-0 rows included (callers decide what they mean). Lazy: a malformed
    /// line throws when reached.</summary>
    /// <param name="fileName">named in errors.</param>
    /// <exception cref="DatasetFormatException">the header or a row is malformed (file, line number and reason).</exception>
    public static IEnumerable<UserArtistRow> Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return ReadRows(reader, fileName);
    }

    private static IEnumerable<UserArtistRow> ReadRows(TextReader reader, string fileName)
    {
        int lineNumber = 1;
        string? line = reader.ReadLine();
        if (line is null) throw new DatasetFormatException(fileName, lineNumber, $"empty file: expected the header \"{HetRecText.Escaped(Header)}\"");
        if (!string.Equals(line.Trim(), Header, StringComparison.OrdinalIgnoreCase))
            throw new DatasetFormatException(fileName, lineNumber, $"expected the header \"{HetRecText.Escaped(Header)}\", found \"{HetRecText.Escaped(line)}\"");
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return ParseRow(line, fileName, lineNumber);
        }
    }

    private static UserArtistRow ParseRow(string text, string fileName, int lineNumber)
    {
        var line = text.AsSpan();
        Span<Range> parts = stackalloc Range[4];
        int n = line.Split(parts, '\t');
        if (n != 3)
            throw new DatasetFormatException(fileName, lineNumber,
                $"expected 3 tab-separated columns (userID, artistID, weight), found {(n == 4 ? "more than 3" : n.ToString(CultureInfo.InvariantCulture))}");
        int user = HetRecText.Id(line[parts[0]], "userID", fileName, lineNumber);
        int artist = HetRecText.Id(line[parts[1]], "artistID", fileName, lineNumber);
        var weightText = line[parts[2]].Trim();
        if (!float.TryParse(weightText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out float weight)
            || !float.IsFinite(weight))
            throw new DatasetFormatException(fileName, lineNumber, $"weight \"{weightText}\" is not a non-negative number");
        return new UserArtistRow(user, artist, weight, lineNumber);
    }
}
