using Earworm.App.Library;
using Earworm.Catalog;

namespace Earworm.Subsonic.Library;

/// <summary>An album as the API shows it: the tracks sharing an album artist (else artist) and an album name, the
/// folder standing in for a missing album tag (the scan guesses it from there).</summary>
public sealed record SubsonicAlbum(string Id, string Name, string Artist, string ArtistId, IReadOnlyList<TrackRecord> Tracks)
{
    public int? Year { get; } = Tracks.Select(t => t.Year).FirstOrDefault(y => y is not null);
    public string? Genre { get; } = Tracks.Select(t => t.Genre).FirstOrDefault(g => !string.IsNullOrWhiteSpace(g));
    public int DurationSeconds { get; } = (int)Math.Round(Tracks.Sum(t => t.DurationSeconds ?? 0));
    public DateTimeOffset? Created { get; } = Tracks.Select(t => t.AnalysedAt).Min();

    /// <summary>The artists its album-artist tag names (<see cref="SubsonicLibrary.ArtistRefsOf"/>), worked out once.</summary>
    public IReadOnlyList<(string Id, string Name)> Artists { get; } = SubsonicLibrary.ArtistRefsOf(Artist);

    /// <summary>The track whose picture (or folder image) stands for the album.</summary>
    public TrackRecord CoverTrack { get; } = Tracks.FirstOrDefault(t => t.HasPicture == true) ?? Tracks[0];
}

public sealed record SubsonicArtist(string Id, string Name, IReadOnlyList<SubsonicAlbum> Albums, IReadOnlyList<TrackRecord> Tracks);

public sealed record SubsonicGenre(string Name, int Songs, int Albums);

/// <summary>
/// The library as the API browses it, built once per <see cref="LibraryView"/> (it changes only when the catalog
/// does): albums and artists from the tags, genres, ids to tracks, albums and artists, and each track's album.
/// </summary>
public sealed class SubsonicLibrary
{
    public const string UnknownArtist = "[Unknown Artist]";

    private readonly Dictionary<string, SubsonicAlbum> _albums;
    private readonly Dictionary<string, SubsonicArtist> _artists;
    private readonly Dictionary<long, SubsonicAlbum> _albumOfTrack = [];
    private readonly Dictionary<long, IReadOnlyList<(string Id, string Name)>> _artistsOfTrack = [];
    private readonly Dictionary<long, (string ArtistId, string RelativePath, int Folder)> _placeOfTrack = [];

    public SubsonicLibrary(LibraryView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        View = view;
        var albums = view.Tracks.GroupBy(t => SubsonicIds.Album(AlbumArtistOf(t), AlbumOf(t)))
            .Select(g =>
            {
                var tracks = g.OrderBy(t => t.TrackNumber ?? int.MaxValue).ThenBy(t => t.Title, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Id).ToList();
                var artist = AlbumArtistOf(tracks[0]);
                return new SubsonicAlbum(g.Key, AlbumOf(tracks[0]), artist, ArtistRefsOf(artist)[0].Id, tracks);
            })
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        Albums = albums;
        _albums = albums.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var a in albums)
            foreach (var t in a.Tracks) _albumOfTrack[t.Id] = a;
        // a tag naming several artists (ffmpeg's join of a repeated ARTIST) lists the song, or the album, under each
        foreach (var t in view.Tracks) _artistsOfTrack[t.Id] = ArtistRefsOf(ArtistOf(t));   // once: hashing a name is not free
        var byArtist = albums.SelectMany(a => a.Artists.Select(x => (x.Id, Album: a))).ToLookup(x => x.Id, x => x.Album, StringComparer.Ordinal);
        var tracksByArtist = view.Tracks.SelectMany(t => _artistsOfTrack[t.Id].Select(x => (x.Id, Track: t)))
            .ToLookup(x => x.Id, x => x.Track, StringComparer.Ordinal);
        var names = view.Tracks.SelectMany(t => _artistsOfTrack[t.Id]).Concat(albums.SelectMany(a => a.Artists))
            .GroupBy(x => x.Id, StringComparer.Ordinal).Select(g => (Id: g.Key, g.First().Name));
        // an artist's albums: those they are the album artist of, then those they appear on (a song on a compilation,
        // a soundtrack credited to its composer): an artist whose songs are all on others' albums is no dead end
        Artists = names.Select(n => new SubsonicArtist(n.Id, n.Name,
                byArtist[n.Id].Concat(tracksByArtist[n.Id].Select(t => _albumOfTrack[t.Id]).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase))
                    .Distinct().ToList(),
                tracksByArtist[n.Id].Concat(byArtist[n.Id].SelectMany(a => a.Tracks)).DistinctBy(t => t.Id).ToList()))
            .Where(a => a.Albums.Count > 0 || a.Tracks.Count > 0)
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        _artists = Artists.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var roots = view.Roots.Select(r => r.TrimEnd('/') + "/").ToList();
        foreach (var t in view.Tracks) // what every entry shows, worked out once (hashing a name is not free)
        {
            int folder = roots.FindIndex(r => t.Path.StartsWith(r, StringComparison.Ordinal));
            _placeOfTrack[t.Id] = (_artistsOfTrack[t.Id][0].Id, folder < 0 ? Path.GetFileName(t.Path) : t.Path[roots[folder].Length..], folder + 1);
        }
        Genres = view.Tracks.Where(t => !string.IsNullOrWhiteSpace(t.Genre)).GroupBy(t => t.Genre!.Trim(), StringComparer.OrdinalIgnoreCase)
            .Select(g => new SubsonicGenre(g.First().Genre!.Trim(), g.Count(), g.Select(t => _albumOfTrack[t.Id].Id).Distinct().Count()))
            .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Pictures beside a track that stand for its album's cover, in the order they are looked for.</summary>
    public static readonly IReadOnlyList<string> FolderImages = ["cover.jpg", "folder.jpg", "cover.png", "folder.png", "front.jpg", "album.jpg"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _folderHasImage = new(StringComparer.Ordinal);

    /// <summary>Whether a track has a picture to show (getCoverArt finds one): embedded — or not known not to be, for
    /// tracks scanned before that was recorded — or a cover beside it (each folder looked at once per view).</summary>
    public bool HasArt(TrackRecord t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.HasPicture != false || (Path.GetDirectoryName(t.Path) is { } folder
            && _folderHasImage.GetOrAdd(folder, f => FolderImages.Any(name => File.Exists(Path.Combine(f, name)))));
    }

    /// <summary>The library's view for the current catalog (one per view, made on first use).</summary>
    public static SubsonicLibrary Of(LibraryView view) => view.Memo("subsonic-library", () => new SubsonicLibrary(view));

    public LibraryView View { get; }
    public IReadOnlyList<SubsonicAlbum> Albums { get; }
    public IReadOnlyList<SubsonicArtist> Artists { get; }
    public IReadOnlyList<SubsonicGenre> Genres { get; }

    public SubsonicAlbum? Album(string? id) => id is null ? null : _albums.GetValueOrDefault(id);
    public SubsonicArtist? Artist(string? id) => id is null ? null : _artists.GetValueOrDefault(id);
    public SubsonicAlbum AlbumOfTrack(TrackRecord t) => _albumOfTrack[t.Id];
    public TrackRecord? Song(string? id) => SubsonicIds.SongId(id) is { } n ? View.Find(n) : null;
    public SubsonicArtist? ArtistNamed(string name) => _artists.GetValueOrDefault(SubsonicIds.Artist(name));

    public static string ArtistOf(TrackRecord t) => string.IsNullOrWhiteSpace(t.Artist) ? UnknownArtist : t.Artist.Trim();

    /// <summary>The artists an artist tag names: the values of a repeated tag, which ffmpeg joins with ';' ("Alice;Bob"
    /// → Alice, Bob; <see cref="Audio.Media.MediaTags.Repeated"/>), else the tag as it is.</summary>
    public static IReadOnlyList<string> ArtistNames(string artist) =>
        Audio.Media.MediaTags.Repeated(artist) is { Count: > 0 } names ? names : [artist];

    /// <summary>The artists an artist tag names, each with its id.</summary>
    public static IReadOnlyList<(string Id, string Name)> ArtistRefsOf(string artist) => [.. ArtistNames(artist).Select(n => (SubsonicIds.Artist(n), n))];

    /// <summary>The artists a track's artist tag names, with their ids (worked out once per view).</summary>
    public IReadOnlyList<(string Id, string Name)> ArtistsOf(TrackRecord t) =>
        _artistsOfTrack.TryGetValue(t.Id, out var known) ? known : ArtistRefsOf(ArtistOf(t));

    /// <summary>An artist tag as apps show it: its artists with ", " between.</summary>
    public static string ArtistShown(string artist) => string.Join(", ", ArtistNames(artist));

    public static string AlbumArtistOf(TrackRecord t) => string.IsNullOrWhiteSpace(t.AlbumArtist) ? ArtistOf(t) : t.AlbumArtist.Trim();

    /// <summary>The album tag, else the folder's name (the scan's guess usually fills the tag already).</summary>
    public static string AlbumOf(TrackRecord t) => string.IsNullOrWhiteSpace(t.Album)
        ? Path.GetFileName(Path.GetDirectoryName(t.Path)) is { Length: > 0 } folder ? folder : "[Unknown Album]"
        : t.Album.Trim();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, IReadOnlyList<(string, object)>> _shared = new();

    /// <summary>A track's entry attributes that depend on the library alone, made once (<paramref name="make"/> of
    /// <paramref name="state"/>: a static function, so asking costs no allocation) and shared by every response that
    /// shows it.</summary>
    public IReadOnlyList<(string, object)> Shared<TState>(long trackId, TState state, Func<TState, IReadOnlyList<(string, object)>> make)
    {
        ArgumentNullException.ThrowIfNull(make);
        return _shared.TryGetValue(trackId, out var known) ? known : _shared.GetOrAdd(trackId, static (_, a) => a.make(a.state), (make, state));
    }

    /// <summary>The id of a track's artist (the first, when its tag names several).</summary>
    public string ArtistIdOf(TrackRecord t) => _placeOfTrack.TryGetValue(t.Id, out var p) ? p.ArtistId : SubsonicIds.Artist(ArtistOf(t));

    /// <summary>The path shown to apps: relative to the library folder holding the file.</summary>
    public string RelativePath(TrackRecord t) => _placeOfTrack.TryGetValue(t.Id, out var p) ? p.RelativePath : Path.GetFileName(t.Path);

    /// <summary>The index of the music folder (1-based, the library's roots in order) holding a track; 0 when none does.</summary>
    public int FolderOf(TrackRecord t) => _placeOfTrack.TryGetValue(t.Id, out var p) ? p.Folder : 0;
}
