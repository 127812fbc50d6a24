using Earworm.Catalog.Import.HetRec;
using Earworm.Learning;

namespace Earworm.Evaluation.Data;

/// <summary>
/// HetRec 2011 Last.fm 2K's <c>user_artists.dat</c> read into dense indices: users and artists in order of
/// first appearance, one interaction per row with the play count (<c>weight</c>) as count, no timestamp. The rows
/// come from the catalog's <see cref="HetRecUserArtists"/> reader, the one parser of this file.
/// </summary>
public sealed record LastFmUserArtists(InteractionDataset Dataset, DenseIdMap<int> Users, DenseIdMap<int> Artists)
{
    /// <summary>The column names of the header line, tab-separated.</summary>
    public const string Header = HetRecUserArtists.Header;

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
        foreach (var row in HetRecUserArtists.Read(reader, fileName))
        {
            int user = users.GetOrAdd(row.UserId);
            int artist = artists.GetOrAdd(row.ArtistId);
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
}
