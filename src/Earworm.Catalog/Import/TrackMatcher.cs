namespace Earworm.Catalog.Import;

/// <summary>How an item was matched to a catalog track.</summary>
public enum TrackMatch { Id, Path, ArtistTitle }

/// <summary>
/// Finds the catalog track an <see cref="ItemRef"/> means: by track id, then by path (as given, then canonical:
/// symlinks resolved), then by artist and title <see cref="MatchText.Fold">folded</see>. Where several tracks
/// qualify (copies of a song) the analysed one with the lowest id wins, then pending, failed, missing.
/// </summary>
internal sealed class TrackMatcher
{
    private readonly Dictionary<long, TrackRecord> _byId = [];
    private readonly Dictionary<string, TrackRecord> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackRecord> _bySong = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _canonical;
    // A log names each song many times (a million listens of fifty thousand items): each is matched once.
    private readonly Dictionary<ItemRef, (TrackRecord Track, TrackMatch How)?> _matched = [];

    /// <param name="canonical">the canonical form of a path (realpath), or null when it does not resolve.</param>
    public TrackMatcher(IEnumerable<TrackRecord> tracks, Func<string, string?> canonical)
    {
        _canonical = canonical;
        foreach (var t in tracks.OrderBy(t => Rank(t.Status)).ThenBy(t => t.Id))
        {
            _byId[t.Id] = t;
            _byPath.TryAdd(t.Path, t);
            if (SongKey(t) is { } k) _bySong.TryAdd(k, t);
        }
    }

    public TrackRecord Track(long id) => _byId[id];

    /// <summary>Refuses sources that name a catalog track id (csv's <c>track:N</c>) the catalog does not hold: a wrong
    /// id would otherwise file its plays under an item without audio, and the whole import is refused instead.</summary>
    /// <exception cref="DatasetFormatException">the first such row, with its file and line.</exception>
    public void CheckTrackIds(IEnumerable<ImportSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in sources)
        {
            foreach (var listen in source.Listens) Check(listen.Item, source.Path, listen.LineNumber);
            foreach (var playlist in source.Playlists)
                foreach (var entry in playlist.Entries) Check(entry.Item, playlist.SourcePath, entry.LineNumber);
        }
    }

    private void Check(ItemRef item, string file, int line)
    {
        if (item.TrackId is { } id && !_byId.ContainsKey(id))
            throw new DatasetFormatException(file, line, $"track:{id} names no track of this catalog (`earworm tracks` lists their ids)");
    }

    public (TrackRecord Track, TrackMatch How)? Match(ItemRef item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_matched.TryGetValue(item, out var match)) _matched[item] = match = Find(item);
        return match;
    }

    private (TrackRecord Track, TrackMatch How)? Find(ItemRef item)
    {
        if (item.TrackId is { } id && _byId.TryGetValue(id, out var byId)) return (byId, TrackMatch.Id);
        if (item.Path is { } p)
        {
            if (_byPath.TryGetValue(p, out var t)) return (t, TrackMatch.Path);
            if (_canonical(p) is { } c && _byPath.TryGetValue(c, out t)) return (t, TrackMatch.Path);
        }
        if (ItemKeys.Song(item.Artist, item.Title) is { } song && _bySong.TryGetValue(song, out var bySong))
            return (bySong, TrackMatch.ArtistTitle);
        return null;
    }

    /// <summary>The key an item of this track is best filed under: its song, else its path.</summary>
    public static string NaturalKey(TrackRecord t) => SongKey(t) ?? "path:" + t.Path;

    private static string? SongKey(TrackRecord t) => ItemKeys.Song(t.Artist ?? t.AlbumArtist, t.Title);

    private static int Rank(TrackStatus s) => s switch
    {
        TrackStatus.Analysed => 0,
        TrackStatus.Pending => 1,
        TrackStatus.Failed => 2,
        _ => 3,
    };
}
