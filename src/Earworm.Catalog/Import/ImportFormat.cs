namespace Earworm.Catalog.Import;

/// <summary>The files <c>earworm import</c> reads.</summary>
public enum ImportFormat { Csv, Tsv, LastFm2k, ListenBrainz, Spotify, LastFmCsv, M3u, Xspf, MpdJson }

/// <summary>Names, descriptions and conventions of each <see cref="ImportFormat"/>.</summary>
public static class ImportFormats
{
    public static IReadOnlyList<ImportFormat> All { get; } = Enum.GetValues<ImportFormat>();

    /// <summary>The name on the command line.</summary>
    public static string Name(ImportFormat format) => format switch
    {
        ImportFormat.Csv => "csv",
        ImportFormat.Tsv => "tsv",
        ImportFormat.LastFm2k => "lastfm-2k",
        ImportFormat.ListenBrainz => "listenbrainz",
        ImportFormat.Spotify => "spotify",
        ImportFormat.LastFmCsv => "lastfm-csv",
        ImportFormat.M3u => "m3u",
        ImportFormat.Xspf => "xspf",
        ImportFormat.MpdJson => "mpd-json",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string name, out ImportFormat format)
    {
        foreach (var f in All)
        {
            if (!string.Equals(Name(f), name?.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            format = f;
            return true;
        }
        format = default;
        return false;
    }

    /// <summary>One line for <c>--help</c>.</summary>
    public static string Describe(ImportFormat format) => format switch
    {
        ImportFormat.Csv => "header line, then user,item,count[,timestamp] (names: --column ROLE=NAME; delimiter detected or --delimiter); " +
                            "item = track:ID, a path, or your own id; artist,title columns help matching",
        ImportFormat.Tsv => "the same, tab-separated",
        ImportFormat.LastFm2k => "the HetRec 2011 Last.fm 2K folder: user_artists.dat (play counts per artist), artists.dat (names), " +
                                 "tags.dat and user_taggedartists.dat (artist tags); users are named lastfm-2k:ID",
        ImportFormat.ListenBrainz => "a ListenBrainz listens export, a JSON array or JSON lines (a folder: its listens/ if it has one, else every *.json, *.jsonl)",
        ImportFormat.Spotify => "Spotify Extended streaming history (Streaming_History_Audio_*.json, or a folder holding them): a play counts from " +
                                "30 s heard and not skipped, shorter or skipped streams are kept as skips (count 0); podcasts left out",
        ImportFormat.LastFmCsv => "Last.fm scrobbles as CSV: artist,album,title,date without header (lastfm-to-csv), or with a header " +
                                  "naming artist, track/title, album, uts/date columns",
        ImportFormat.M3u => "M3U/M3U8 playlists (files or a folder): paths relative to the playlist or absolute, #EXTINF artist - title hints, URLs",
        ImportFormat.Xspf => "XSPF playlists (files or a folder): location, creator, title",
        ImportFormat.MpdJson => "Spotify Million Playlist Dataset slices (mpd.slice.*.json, files or a folder): playlists[].tracks[] in pos order, " +
                                "items keyed by track_uri, matched to library tracks by artist_name + track_name",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The file extensions a folder is searched for, or empty when the format is a folder itself.</summary>
    public static IReadOnlyList<string> Extensions(ImportFormat format) => format switch
    {
        ImportFormat.Csv => [".csv"],
        ImportFormat.Tsv => [".tsv", ".txt"],
        ImportFormat.LastFm2k => [],
        ImportFormat.ListenBrainz => [".json", ".jsonl"],
        ImportFormat.Spotify => [".json"],
        ImportFormat.LastFmCsv => [".csv"],
        ImportFormat.M3u => [".m3u", ".m3u8"],
        ImportFormat.Xspf => [".xspf"],
        ImportFormat.MpdJson => [".json"],
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Whether a file of a folder given as PATH is one to read: a Spotify data export holds other JSON
    /// (Userdata.json, video history), so only its music streaming histories are taken.</summary>
    public static bool TakesFromFolder(ImportFormat format, string fileName) => format != ImportFormat.Spotify
        || fileName.StartsWith("Streaming_History_Audio", StringComparison.OrdinalIgnoreCase)
        || fileName.StartsWith("StreamingHistory", StringComparison.OrdinalIgnoreCase);

    /// <summary>The interactions' <c>source</c>, part of what makes a listen a duplicate: csv and tsv are one source.</summary>
    public static string Source(ImportFormat format) => format == ImportFormat.Tsv ? Name(ImportFormat.Csv) : Name(format);

    /// <summary>Formats whose files name many users: there <c>--user</c> cannot stand for all of them.</summary>
    public static bool NamesManyUsers(ImportFormat format) => format is ImportFormat.Csv or ImportFormat.Tsv or ImportFormat.LastFm2k;

    public static bool IsPlaylist(ImportFormat format) => format is ImportFormat.M3u or ImportFormat.Xspf or ImportFormat.MpdJson;
}

/// <summary>One file (or the lastfm-2k folder) read and parsed, ready for <see cref="CatalogStore.Import"/>.</summary>
/// <param name="Path">canonical path of the file or folder.</param>
/// <param name="Sha256">of the file's bytes, hex; of the files' hashes in order for a folder.</param>
public sealed record ImportSource(ImportFormat Format, string Path, string Sha256)
{
    /// <summary>The data rows (or JSON records, or playlist entries) read.</summary>
    public int Rows { get; init; }

    /// <summary>The listener <c>--user</c> named: owner of the playlists; already applied to the listens.</summary>
    public string? User { get; init; }

    public IReadOnlyList<Listen> Listens { get; init; } = [];
    public IReadOnlyList<PlaylistRecord> Playlists { get; init; } = [];
    public IReadOnlyList<ItemTag> Tags { get; init; } = [];

    /// <summary>Rows left out on purpose, by reason.</summary>
    public IReadOnlyDictionary<string, int> Ignored { get; init; } = new Dictionary<string, int>();
}
