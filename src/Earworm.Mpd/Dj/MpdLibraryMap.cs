namespace Earworm.Mpd.Dj;

/// <summary>
/// MPD's songs and Earworm's analysed tracks, matched by path: an MPD URI is a path relative to MPD's music directory,
/// a catalog path is absolute. Pure: built from MPD's file list and the catalog's (id, path) pairs.
/// </summary>
public sealed class MpdLibraryMap
{
    /// <summary>MPD files looked at to infer the music directory (enough for a clear majority, cheap on any library).</summary>
    private const int InferenceSample = 500;

    private readonly Dictionary<string, long> _trackByUri;
    private readonly Dictionary<long, string> _uriByTrack;

    private MpdLibraryMap(string? musicDirectory, bool inferred, Dictionary<string, long> trackByUri, IReadOnlyList<string> unanalysed)
    {
        MusicDirectory = musicDirectory;
        Inferred = inferred;
        _trackByUri = trackByUri;
        _uriByTrack = trackByUri.ToDictionary(p => p.Value, p => p.Key);
        Unanalysed = unanalysed;
    }

    /// <summary>MPD's music directory as Earworm sees it; null when no MPD file matches a catalog track.</summary>
    public string? MusicDirectory { get; }

    /// <summary>The music directory was inferred from paths that end alike, not read from MPD or given.</summary>
    public bool Inferred { get; }

    /// <summary>MPD's files that are not analysed tracks of the catalog (not scanned, failed, or outside it).</summary>
    public IReadOnlyList<string> Unanalysed { get; }

    /// <summary>The analysed tracks MPD can play.</summary>
    public IReadOnlyCollection<long> Playable => _uriByTrack.Keys;

    public long? TrackOf(string uri) => _trackByUri.TryGetValue(uri, out long id) ? id : null;

    public string? UriOf(long trackId) => _uriByTrack.GetValueOrDefault(trackId);

    /// <param name="mpdFiles">Every file of MPD's database (<c>listall</c>), relative to its music directory.</param>
    /// <param name="tracks">The catalog's analysed tracks: id and absolute path.</param>
    /// <param name="musicDirectory">MPD's music directory as Earworm sees it (from <c>config</c> or <c>--music-dir</c>);
    /// null: inferred from the paths (<see cref="InferMusicDirectory"/>).</param>
    public static MpdLibraryMap Build(IReadOnlyCollection<string> mpdFiles, IReadOnlyCollection<(long Id, string Path)> tracks, string? musicDirectory)
    {
        ArgumentNullException.ThrowIfNull(mpdFiles);
        ArgumentNullException.ThrowIfNull(tracks);
        bool inferred = musicDirectory is null;
        musicDirectory = musicDirectory is null ? InferMusicDirectory(mpdFiles, tracks) : Path.TrimEndingDirectorySeparator(musicDirectory);
        var byUri = new Dictionary<string, long>(StringComparer.Ordinal);
        if (musicDirectory is not null)
        {
            string prefix = musicDirectory == "/" ? "/" : musicDirectory + "/";
            var byPath = tracks.Where(t => t.Path.StartsWith(prefix, StringComparison.Ordinal))
                .GroupBy(t => t.Path[prefix.Length..], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(t => t.Id), StringComparer.Ordinal);
            foreach (var uri in mpdFiles)
                if (byPath.TryGetValue(uri, out long id)) byUri[uri] = id;
        }
        var unanalysed = mpdFiles.Where(f => !byUri.ContainsKey(f)).ToList();
        return new MpdLibraryMap(musicDirectory, inferred && musicDirectory is not null, byUri, unanalysed);
    }

    /// <summary>The folder that, joined with MPD's relative paths, gives the most catalog paths: each sampled MPD file
    /// that some catalog path ends with ("/" + URI) votes for that path's beginning. Null when none matches.</summary>
    public static string? InferMusicDirectory(IReadOnlyCollection<string> mpdFiles, IReadOnlyCollection<(long Id, string Path)> tracks)
    {
        ArgumentNullException.ThrowIfNull(mpdFiles);
        ArgumentNullException.ThrowIfNull(tracks);
        var byName = tracks.ToLookup(t => Path.GetFileName(t.Path), StringComparer.Ordinal);
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var uri in mpdFiles.Take(InferenceSample))
            foreach (var (_, path) in byName[Path.GetFileName(uri)])
                if (path.Length > uri.Length && path.EndsWith("/" + uri, StringComparison.Ordinal))
                {
                    string dir = path[..(path.Length - uri.Length - 1)];
                    votes[dir.Length == 0 ? "/" : dir] = votes.GetValueOrDefault(dir.Length == 0 ? "/" : dir) + 1;
                }
        return votes.Count == 0 ? null : votes.OrderByDescending(v => v.Value).ThenBy(v => v.Key.Length).First().Key;
    }
}
