namespace Earworm.Catalog.Import.Csv;

/// <summary>
/// Last.fm scrobble exports as CSV, one row per scrobble, always one user's (<c>--user</c> names them):
/// <list type="bullet">
/// <item>the "lastfm-to-csv" layout (benjaminbenben.com/lastfm-to-csv): no header, four columns
/// <c>artist, album, title, date</c>, the date as "31 Jan 2021 14:05" in UTC;</item>
/// <item>the same with a header, or exports with more columns, when the first row names them: artist
/// (<c>artist</c>, <c>artist_name</c>), title (<c>title</c>, <c>track</c>, <c>track_name</c>, <c>name</c>), album
/// (<c>album</c>, <c>album_name</c>), time (<c>uts</c> unix seconds first, else <c>date</c>, <c>utc_time</c>,
/// <c>time</c>, <c>timestamp</c>) and a MusicBrainz recording id (<c>track_mbid</c>, <c>mbid</c>), e.g. the
/// <c>uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid</c> layout of lastfm.ghan.nl/export.</item>
/// </list>
/// Dates may also be unix seconds or ISO 8601. A row without a date (a track "now playing" when the export ran)
/// is left out; an empty artist or title is an error.
/// </summary>
public static class LastFmScrobbleCsv
{
    private static readonly string[] ArtistNames = ["artist", "artist_name", "artist name"];
    private static readonly string[] TitleNames = ["title", "track", "track_name", "track name", "name", "song"];
    private static readonly string[] AlbumNames = ["album", "album_name", "album name", "release"];
    private static readonly string[] UnixNames = ["uts"];
    private static readonly string[] DateNames = ["date", "utc_time", "time", "timestamp", "datetime", "played_at"];
    private static readonly string[] MbidNames = ["track_mbid", "mbid", "recording_mbid"];

    /// <exception cref="DatasetFormatException">a malformed row or date (file, line and reason).</exception>
    public static ListenLog Parse(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var csv = new CsvRecordReader(reader, null, fileName);
        var log = new ListenLog.Builder();
        var first = csv.Read();
        if (first is null) return log.Build();
        var layout = Layout.FromHeader(first);
        if (layout is null)
        {
            layout = Layout.Headerless;
            Row(first, layout, fileName, csv.LineNumber, log);
        }
        else if (layout.Unix < 0 && layout.Date < 0)
        {
            throw new DatasetFormatException(fileName, csv.LineNumber,
                $"the header names no time column ({string.Join(", ", UnixNames.Concat(DateNames))})");
        }
        while (csv.Read() is { } row) Row(row, layout, fileName, csv.LineNumber, log);
        return log.Build();
    }

    private static void Row(List<string> row, Layout l, string fileName, int line, ListenLog.Builder log)
    {
        log.Rows++;
        if (row.Count != l.Fields)
            throw new DatasetFormatException(fileName, line, l == Layout.Headerless
                ? $"expected 4 fields (artist, album, title, date), found {row.Count}"
                : $"expected {l.Fields} fields as in the header, found {row.Count}");
        var artist = row[l.Artist].Trim();
        var title = row[l.Title].Trim();
        if (artist.Length == 0) throw new DatasetFormatException(fileName, line, "the artist is empty");
        if (title.Length == 0) throw new DatasetFormatException(fileName, line, "the title is empty");
        var date = l.Unix >= 0 && row[l.Unix].Trim().Length > 0 ? row[l.Unix].Trim() : l.Date >= 0 ? row[l.Date].Trim() : "";
        if (date.Length == 0)
        {
            log.Ignore("no date (playing when exported)");
            return;
        }
        if (!Timestamps.TryParseLastFm(date, out long at))
            throw new DatasetFormatException(fileName, line, $"date \"{date}\" is not a date such as \"31 Jan 2021 14:05\", unix seconds or ISO 8601");
        var album = l.Album >= 0 && row[l.Album].Trim() is { Length: > 0 } a ? a : null;
        var mbid = l.Mbid >= 0 && row[l.Mbid].Trim() is { Length: > 0 } m ? m.ToLowerInvariant() : null;
        log.Add(new Listen(null, new ItemRef { Artist = artist, Title = title, Album = album, Mbid = mbid }, 1, at, line));
    }

    private sealed record Layout(int Fields, int Artist, int Title, int Album, int Unix, int Date, int Mbid)
    {
        public static readonly Layout Headerless = new(4, 0, 2, 1, -1, 3, -1);

        /// <summary>The layout a header row names; null when the row is data (it names no artist and title column).</summary>
        public static Layout? FromHeader(List<string> row)
        {
            int Find(string[] names)
            {
                foreach (var n in names)
                {
                    int i = row.FindIndex(h => string.Equals(h.Trim(), n, StringComparison.OrdinalIgnoreCase));
                    if (i >= 0) return i;
                }
                return -1;
            }
            int artist = Find(ArtistNames), title = Find(TitleNames);
            if (artist < 0 || title < 0) return null;
            return new Layout(row.Count, artist, title, Find(AlbumNames), Find(UnixNames), Find(DateNames), Find(MbidNames));
        }
    }
}
