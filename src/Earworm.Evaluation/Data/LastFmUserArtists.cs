using System.Globalization;
using Earworm.Learning;

namespace Earworm.Evaluation.Data;

/// <summary>
/// HetRec 2011 Last.fm 2K's <c>user_artists.dat</c> read into dense indices: users and artists in order of
/// first appearance, one interaction per row with the play count (<c>weight</c>) as count, no timestamp.
/// </summary>
public sealed record LastFmUserArtists(InteractionDataset Dataset, DenseIdMap<int> Users, DenseIdMap<int> Artists)
{
    /// <summary>The column names of the header line, tab-separated.</summary>
    public const string Header = "userID\tartistID\tweight";

    /// <summary>Parses <c>user_artists.dat</c>: one header line (<see cref="Header"/>), then rows of
    /// userID, artistID (integers) and weight (a non-negative number), tab-separated; CRLF or LF; blank lines are skipped.
    /// A row with weight 0 keeps its ids in the maps but is not an interaction.</summary>
    /// <param name="fileName">named in errors and in the dataset's name.</param>
    /// <exception cref="DatasetFormatException">the header or a row is malformed (file, line number and reason).</exception>
    public static LastFmUserArtists Parse(TextReader reader, string fileName, string datasetName = "lastfm-2k")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var users = new DenseIdMap<int>();
        var artists = new DenseIdMap<int>();
        var interactions = new List<Interaction>();
        int lineNumber = 0;
        string? line = reader.ReadLine();
        lineNumber++;
        if (line is null) throw new DatasetFormatException(fileName, lineNumber, $"empty file: expected the header \"{Escaped(Header)}\"");
        if (!string.Equals(line.Trim(), Header, StringComparison.OrdinalIgnoreCase))
            throw new DatasetFormatException(fileName, lineNumber, $"expected the header \"{Escaped(Header)}\", found \"{Escaped(line)}\"");
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var row = ParseRow(line.AsSpan(), fileName, lineNumber);
            int user = users.GetOrAdd(row.User);
            int artist = artists.GetOrAdd(row.Artist);
            if (row.Weight > 0) interactions.Add(new Interaction(user, artist, row.Weight));
        }
        var dataset = new InteractionDataset(datasetName, users.Count, artists.Count, interactions);
        return new LastFmUserArtists(dataset, users, artists);
    }

    /// <summary>Reads <paramref name="path"/> (ASCII) with <see cref="Parse"/>; errors name the path.</summary>
    public static LastFmUserArtists ReadFile(string path, string datasetName = "lastfm-2k")
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path, datasetName);
    }

    private static (int User, int Artist, float Weight) ParseRow(ReadOnlySpan<char> line, string fileName, int lineNumber)
    {
        Span<Range> parts = stackalloc Range[4];
        int n = line.Split(parts, '\t');
        if (n != 3)
            throw new DatasetFormatException(fileName, lineNumber,
                $"expected 3 tab-separated columns (userID, artistID, weight), found {(n == 4 ? "more than 3" : n.ToString(CultureInfo.InvariantCulture))}");
        var userText = line[parts[0]].Trim();
        var artistText = line[parts[1]].Trim();
        var weightText = line[parts[2]].Trim();
        if (!int.TryParse(userText, NumberStyles.None, CultureInfo.InvariantCulture, out int user))
            throw new DatasetFormatException(fileName, lineNumber, $"userID \"{userText}\" is not a non-negative integer");
        if (!int.TryParse(artistText, NumberStyles.None, CultureInfo.InvariantCulture, out int artist))
            throw new DatasetFormatException(fileName, lineNumber, $"artistID \"{artistText}\" is not a non-negative integer");
        if (!float.TryParse(weightText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out float weight)
            || !float.IsFinite(weight))
            throw new DatasetFormatException(fileName, lineNumber, $"weight \"{weightText}\" is not a non-negative number");
        return (user, artist, weight);
    }

    private static string Escaped(string text) => text.Replace("\t", "\\t", StringComparison.Ordinal);
}
