using Earworm.App.Library;
using Earworm.Catalog;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;
using Earworm.Subsonic.Model;
using static Earworm.Subsonic.Endpoints.BrowsingEndpoints;

namespace Earworm.Subsonic.Endpoints;

/// <summary>getAlbumList2 (every type), getRandomSongs, search3 (an empty query lists the whole library a page at a
/// time: apps sync for offline use this way) and getStarred2; and their versions from before ID3 tags, which apps
/// browsing by folder still call (getAlbumList, search2, getStarred: the same lists, albums as directory entries).</summary>
internal static class ListEndpoints
{
    public const int MaxPage = 500;

    public static readonly IReadOnlyList<string> AlbumListTypes =
        ["random", "newest", "highest", "frequent", "recent", "alphabeticalByName", "alphabeticalByArtist", "starred", "byYear", "byGenre"];

    public static void Register(SubsonicApi api)
    {
        api.Add("getAlbumList2", r => Done(new SubsonicNode("albumList2").AddList("album", AlbumPage(r).Select(a => Entries.Album(r, a)))));
        api.Add("getAlbumList", r => Done(new SubsonicNode("albumList").AddList("album", AlbumPage(r).Select(a => Entries.AlbumDirectory(r, a, "album")))));
        api.Add("getRandomSongs", r =>
        {
            int size = r.P.Int("size", 10, 0, MaxPage);
            var genre = r.P.Get("genre");
            int? from = r.P.Int("fromYear", 0, 9999), to = r.P.Int("toYear", 0, 9999);
            var pool = InFolder(r, r.Library.View.Tracks)
                .Where(t => genre is null || string.Equals(t.Genre?.Trim(), genre.Trim(), StringComparison.OrdinalIgnoreCase))
                .Where(t => (from is null || t.Year >= from) && (to is null || t.Year <= to)).ToArray();
            Random.Shared.Shuffle(pool);
            return Done(new SubsonicNode("randomSongs").AddList("song", pool.Take(size).Select(t => Entries.Song(r, t))));
        });
        api.Add("search3", r => Done(Search(r, "searchResult3", a => Entries.Album(r, a))));
        api.Add("search2", r => Done(Search(r, "searchResult2", a => Entries.AlbumDirectory(r, a, "album"))));
        api.Add("getStarred2", r => Done(Starred(r, "starred2", a => Entries.Album(r, a))));
        api.Add("getStarred", r => Done(Starred(r, "starred", a => Entries.AlbumDirectory(r, a, "album"))));
    }

    /// <summary>The page of the album list <c>type</c> asks for (<c>size</c>, <c>offset</c>, <c>musicFolderId</c>).</summary>
    private static IEnumerable<SubsonicAlbum> AlbumPage(SubsonicRequest r)
    {
        int size = r.P.Int("size", 10, 0, MaxPage), offset = r.P.Int("offset", 0, 0, int.MaxValue);
        var albums = AlbumList(r, r.P.Require("type"));
        if (r.P.Int("musicFolderId", 1, int.MaxValue) is not null)
        {
            var inFolder = InFolder(r, r.Library.View.Tracks).Select(t => t.Id).ToHashSet();
            albums = albums.Where(a => a.Tracks.Any(t => inFolder.Contains(t.Id)));
        }
        return albums.Skip(offset).Take(size);
    }

    /// <summary>What the listener starred: artists, albums (as <paramref name="album"/> writes them) and liked songs.</summary>
    private static SubsonicNode Starred(SubsonicRequest r, string element, Func<SubsonicAlbum, SubsonicNode> album)
    {
        var s = r.Listener;
        var artists = r.Library.Artists.Where(a => s.Stars.ContainsKey((StarKind.Artist, a.Id)));
        var albums = r.Library.Albums.Where(a => s.Stars.ContainsKey((StarKind.Album, a.Id)));
        var songs = s.LikedTracks.OrderByDescending(kv => kv.Value).Select(kv => r.Library.View.Find(kv.Key)).OfType<TrackRecord>();
        return new SubsonicNode(element).AddList("artist", artists.Select(a => Entries.Artist(r, a)))
            .AddList("album", albums.Select(album)).AddList("song", songs.Select(t => Entries.Song(r, t)));
    }

    private static IEnumerable<SubsonicAlbum> AlbumList(SubsonicRequest r, string type)
    {
        var lib = r.Library;
        var s = r.Listener;
        double Plays(SubsonicAlbum a) => a.Tracks.Sum(t => s.PlayCounts.GetValueOrDefault(t.Id));
        DateTimeOffset LastPlayed(SubsonicAlbum a) => a.Tracks.Select(t => s.LastPlayed.GetValueOrDefault(t.Id)).Max();
        switch (type)
        {
            case "random":
                var shuffled = lib.Albums.ToArray();
                Random.Shared.Shuffle(shuffled);
                return shuffled;
            case "newest": return lib.Albums.OrderByDescending(a => a.Created).ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase);
            case "highest": // the listener's rating of the album, else the mean of its songs' ratings; then its liked songs
                double Rated(SubsonicAlbum a) => s.Rating(RatedKind.Album, a.Id) is int own ? own
                    : a.Tracks.Select(t => s.Rating(RatedKind.Song, SubsonicIds.Song(t.Id))).OfType<int>().DefaultIfEmpty(0).Average();
                return lib.Albums.Select(a => (a, Rated: Rated(a), Liked: a.Tracks.Count(t => s.LikedTracks.ContainsKey(t.Id))))
                    .Where(x => x.Rated > 0 || x.Liked > 0).OrderByDescending(x => x.Rated).ThenByDescending(x => x.Liked)
                    .ThenBy(x => x.a.Name, StringComparer.OrdinalIgnoreCase).Select(x => x.a);
            case "frequent": return lib.Albums.Where(a => Plays(a) > 0).OrderByDescending(Plays).ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase);
            case "recent": return lib.Albums.Where(a => LastPlayed(a) != default).OrderByDescending(LastPlayed);
            case "alphabeticalByName": return lib.Albums;
            case "alphabeticalByArtist":
                return lib.Albums.OrderBy(a => a.Artist, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase);
            case "starred": return lib.Albums.Where(a => s.Stars.ContainsKey((StarKind.Album, a.Id)));
            case "byYear":
                int from = r.P.Int("fromYear", 0, 9999) ?? throw SubsonicException.Missing("fromYear");
                int to = r.P.Int("toYear", 0, 9999) ?? throw SubsonicException.Missing("toYear");
                var inRange = lib.Albums.Where(a => a.Year is { } y && y >= Math.Min(from, to) && y <= Math.Max(from, to));
                return from <= to ? inRange.OrderBy(a => a.Year) : inRange.OrderByDescending(a => a.Year);
            case "byGenre":
                var genre = r.P.Require("genre").Trim();
                return lib.Albums.Where(a => a.Tracks.Any(t => string.Equals(t.Genre?.Trim(), genre, StringComparison.OrdinalIgnoreCase)));
            default:
                throw SubsonicException.Malformed("type", type, "one of " + string.Join(", ", AlbumListTypes));
        }
    }

    /// <summary>Artists, albums and songs every word of the query appears in (case and accents ignored); an empty
    /// query, or <c>""</c> as some apps send it, matches everything.</summary>
    private static SubsonicNode Search(SubsonicRequest r, string element, Func<SubsonicAlbum, SubsonicNode> album)
    {
        var query = (r.P.Get("query") ?? "").Trim();
        if (query is "\"\"" or "''" or "*") query = "";
        int artistCount = r.P.Int("artistCount", 20, 0, MaxPage), artistOffset = r.P.Int("artistOffset", 0, 0, int.MaxValue);
        int albumCount = r.P.Int("albumCount", 20, 0, MaxPage), albumOffset = r.P.Int("albumOffset", 0, 0, int.MaxValue);
        int songCount = r.P.Int("songCount", 20, 0, MaxPage), songOffset = r.P.Int("songOffset", 0, 0, int.MaxValue);
        var words = TrackSearch.Words(query);
        bool Match(string text) => words.Length == 0 || TrackSearch.Matches(TrackSearch.Fold(text), words);
        var lib = r.Library;
        var artists = lib.Artists.Where(a => Match(a.Name));
        var albums = lib.Albums.Where(a => Match(a.Name + " " + a.Artist));
        var songs = InFolder(r, lib.View.Search(query));
        return new SubsonicNode(element)
            .AddList("artist", artists.Skip(artistOffset).Take(artistCount).Select(a => Entries.Artist(r, a)))
            .AddList("album", albums.Skip(albumOffset).Take(albumCount).Select(album))
            .AddList("song", songs.Skip(songOffset).Take(songCount).Select(t => Entries.Song(r, t)));
    }
}
