using Earworm.Catalog;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;

namespace Earworm.Subsonic.Model;

/// <summary>The API's shapes of songs (<c>Child</c>), albums (<c>AlbumID3</c>), artists (<c>ArtistID3</c>) and
/// directories, from the library and the listener's data: one place, so every endpoint shows a song the same way.</summary>
public static class Entries
{
    /// <summary>A song as a <c>Child</c> element named <paramref name="element"/> (song, entry, child): what the library
    /// says of it (worked out once per library view), then what the listener did with it.</summary>
    public static SubsonicNode Song(SubsonicRequest r, TrackRecord t, string element = "song")
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(t);
        var lib = r.Library;
        var state = r.Listener;
        var node = new SubsonicNode(element, lib.Shared(t.Id, (lib, t), static s => SongFacts(s.lib, s.t)))
            .Set("playCount", state.PlayCounts.TryGetValue(t.Id, out var plays) ? (long)Math.Round(plays) : 0L)
            .Set("starred", state.LikedTracks.TryGetValue(t.Id, out var at) ? at : null)
            .Set("userRating", state.SongRating(t.Id))
            .Set("played", state.LastPlayed.TryGetValue(t.Id, out var played) ? played : null);
        if (!string.IsNullOrWhiteSpace(t.Genre)) node.AddList("genres", [new SubsonicNode("genres").Set("name", t.Genre)]);
        node.AddList("artists", ArtistRefs(lib.ArtistsOf(t)));
        return node;
    }

    private static IReadOnlyList<(string, object)> SongFacts(SubsonicLibrary lib, TrackRecord t)
    {
        var album = lib.AlbumOfTrack(t);
        return new SubsonicNode("song")
            .Set("id", SubsonicIds.Song(t.Id)).Set("parent", album.Id).Set("isDir", false)
            .Set("title", string.IsNullOrWhiteSpace(t.Title) ? Path.GetFileNameWithoutExtension(t.Path) : t.Title)
            .Set("album", album.Name).Set("artist", SubsonicLibrary.ArtistShown(SubsonicLibrary.ArtistOf(t))).Set("track", t.TrackNumber).Set("year", t.Year)
            .Set("genre", string.IsNullOrWhiteSpace(t.Genre) ? null : t.Genre).Set("coverArt", lib.HasArt(t) ? SubsonicIds.Song(t.Id) : null)
            .Set("size", t.SizeBytes).Set("contentType", App.Library.AudioAccess.ContentType(t.Path))
            .Set("suffix", Path.GetExtension(t.Path).TrimStart('.').ToLowerInvariant())
            .Set("duration", t.DurationSeconds is { } d ? (int)Math.Round(d) : null)
            .Set("bitRate", t.BitRate is { } b ? (int)Math.Round(b / 1000.0) : null)
            .Set("path", lib.RelativePath(t)).Set("isVideo", false).Set("created", t.AnalysedAt)
            .Set("albumId", album.Id).Set("artistId", lib.ArtistIdOf(t)).Set("type", "music")
            .Set("bpm", lib.View.Descriptors.GetValueOrDefault(t.Id)?.TempoBpm is { } bpm ? (int)Math.Round(bpm) : null)
            .Set("samplingRate", t.SourceSampleRateHz).Set("channelCount", t.SourceChannels).Set("mediaType", "song")
            .Attributes;
    }

    public static SubsonicNode Album(SubsonicRequest r, SubsonicAlbum a, string element = "album")
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(a);
        var state = r.Listener;
        return new SubsonicNode(element).Set("id", a.Id).Set("name", a.Name).Set("artist", SubsonicLibrary.ArtistShown(a.Artist)).Set("artistId", a.ArtistId)
            .Set("coverArt", r.Library.HasArt(a.CoverTrack) ? a.Id : null).Set("songCount", a.Tracks.Count).Set("duration", a.DurationSeconds)
            .Set("playCount", (long)Math.Round(a.Tracks.Sum(t => state.PlayCounts.GetValueOrDefault(t.Id))))
            .Set("played", a.Tracks.Select(t => state.LastPlayed.TryGetValue(t.Id, out var p) ? p : (DateTimeOffset?)null).Max())
            .Set("created", a.Created).Set("starred", state.Stars.TryGetValue((StarKind.Album, a.Id), out var at) ? at : null)
            .Set("year", a.Year).Set("genre", a.Genre).Set("userRating", state.Rating(RatedKind.Album, a.Id))
            .AddList("artists", ArtistRefs(a.Artists));
    }

    /// <summary>OpenSubsonic's <c>artists</c> of a song or an album: every artist its tag names, by id and name.</summary>
    private static IEnumerable<SubsonicNode> ArtistRefs(IReadOnlyList<(string Id, string Name)> artists) =>
        artists.Select(a => new SubsonicNode("artists").Set("id", a.Id).Set("name", a.Name));

    public static SubsonicNode Artist(SubsonicRequest r, SubsonicArtist a, string element = "artist")
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(a);
        return new SubsonicNode(element).Set("id", a.Id).Set("name", a.Name)
            .Set("coverArt", a.Albums.FirstOrDefault(al => r.Library.HasArt(al.CoverTrack))?.Id)
            .Set("albumCount", a.Albums.Count)
            .Set("starred", r.Listener.Stars.TryGetValue((StarKind.Artist, a.Id), out var at) ? at : null)
            .Set("userRating", r.Listener.Rating(RatedKind.Artist, a.Id));
    }

    /// <summary>An album as a directory entry (getMusicDirectory's children; the albums of getAlbumList, search2 and
    /// getStarred, the API's versions before ID3 tags).</summary>
    public static SubsonicNode AlbumDirectory(SubsonicRequest r, SubsonicAlbum a, string element = "child")
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(a);
        return new SubsonicNode(element).Set("id", a.Id).Set("parent", a.ArtistId).Set("isDir", true).Set("title", a.Name)
            .Set("album", a.Name).Set("artist", SubsonicLibrary.ArtistShown(a.Artist)).Set("year", a.Year).Set("genre", a.Genre)
            .Set("coverArt", r.Library.HasArt(a.CoverTrack) ? a.Id : null).Set("created", a.Created)
            .Set("starred", r.Listener.Stars.TryGetValue((StarKind.Album, a.Id), out var at) ? at : null);
    }

    /// <summary>Artists by the first letter of their name (getIndexes, getArtists); "#" for the rest.</summary>
    public static IEnumerable<SubsonicNode> ArtistIndex(SubsonicRequest r, IEnumerable<SubsonicArtist> artists) =>
        artists.GroupBy(a => IndexLetter(a.Name)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SubsonicNode("index").Set("name", g.Key).AddList("artist", g.Select(a => Artist(r, a))));

    private static string IndexLetter(string name)
    {
        var c = name.TrimStart().FirstOrDefault();
        return char.IsLetter(c) ? char.ToUpperInvariant(c).ToString() : "#";
    }
}
