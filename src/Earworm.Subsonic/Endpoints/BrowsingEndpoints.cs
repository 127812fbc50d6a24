using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;
using Earworm.Subsonic.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Earworm.Subsonic.Endpoints;

/// <summary>ping, getLicense, getOpenSubsonicExtensions, getMusicFolders, getIndexes, getMusicDirectory, getArtists,
/// getArtist, getAlbum, getAlbumInfo and getAlbumInfo2 (Earworm holds no album notes: an empty answer, not an error),
/// getSong, getGenres, getSongsByGenre; getUser (the signed-in listener's own account and what it may do);
/// getScanStatus and startScan (a re-scan of the library's own folders in the background, as the web app's).</summary>
internal static class BrowsingEndpoints
{
    /// <summary>The OpenSubsonic extensions served, with their versions.</summary>
    public static readonly IReadOnlyList<(string Name, int[] Versions)> Extensions =
    [
        ("apiKeyAuthentication", [1]), ("formPost", [1]), ("transcodeOffset", [1]), ("sonicSimilarity", [1]),
    ];

    public static void Register(SubsonicApi api)
    {
        api.Add("ping", _ => ValueTask.FromResult<object?>(null));
        api.Add("getLicense", _ => Done(new SubsonicNode("license").Set("valid", true)));
        api.Add("getOpenSubsonicExtensions", _ => Done(new SubsonicList("openSubsonicExtensions",
            [.. Extensions.Select(e => new SubsonicNode("openSubsonicExtensions").Set("name", e.Name).AddValues("versions", e.Versions.Cast<object>()))])), open: true);
        api.Add("getMusicFolders", r => Done(new SubsonicNode("musicFolders").AddList("musicFolder",
            r.Library.View.Roots.Select((root, i) => new SubsonicNode("musicFolder").Set("id", i + 1).Set("name", FolderName(root))))));
        api.Add("getIndexes", r => Done(new SubsonicNode("indexes").Set("lastModified", LastModified(r)).Set("ignoredArticles", "")
            .AddList("index", Entries.ArtistIndex(r, Artists(r)))));
        api.Add("getArtists", r => Done(new SubsonicNode("artists").Set("ignoredArticles", "").AddList("index", Entries.ArtistIndex(r, Artists(r)))));
        api.Add("getMusicDirectory", r => Done(Directory(r)));
        api.Add("getArtist", r =>
        {
            var a = Artist(r, r.P.Require("id"));
            return Done(Entries.Artist(r, a).AddList("album", a.Albums.Select(al => Entries.Album(r, al))));
        });
        api.Add("getAlbum", r =>
        {
            var a = Album(r, r.P.Require("id"));
            return Done(Entries.Album(r, a).AddList("song", a.Tracks.Select(t => Entries.Song(r, t))));
        });
        api.Add("getAlbumInfo", AlbumInfo);
        api.Add("getAlbumInfo2", AlbumInfo);
        api.Add("getSong", r => Done(Entries.Song(r, r.Song())));
        api.Add("getUser", r =>
        {
            var name = r.P.Require("username");
            if (!string.Equals(name, r.User, StringComparison.Ordinal))
                throw new SubsonicException(ErrorCode.NotAuthorized, "a listener may see only their own account");
            // what an app may offer: listening, playlists, downloads and pictures; nothing that manages the server
            var user = new SubsonicNode("user").Set("username", r.User).Set("scrobblingEnabled", true).Set("adminRole", false)
                .Set("settingsRole", false).Set("downloadRole", true).Set("uploadRole", false).Set("playlistRole", true)
                .Set("coverArtRole", true).Set("commentRole", false).Set("podcastRole", false).Set("streamRole", true)
                .Set("jukeboxRole", false).Set("shareRole", false).Set("videoConversionRole", false);
            return Done(user.AddValues("folder", r.Library.View.Roots.Select((_, i) => (object)(i + 1))));
        });
        api.Add("getScanStatus", r => Done(ScanStatus(r, startedNow: false)));
        api.Add("startScan", r =>
        {
            var stopping = r.Http.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
            bool started;
            try
            {
                started = r.Services.Scans.StartAgain(r.Library.View.Roots, stopping);   // false: one runs already, which is what was asked
            }
            catch (UsageException e)
            {
                throw new SubsonicException(ErrorCode.Generic, e.Message);
            }
            return Done(ScanStatus(r, started));
        });
        api.Add("getGenres", r => Done(new SubsonicNode("genres").AddList("genre",
            r.Library.Genres.Select(g => new SubsonicNode("genre").Set("songCount", g.Songs).Set("albumCount", g.Albums).WithText(g.Name)))));
        api.Add("getSongsByGenre", r =>
        {
            var genre = r.P.Require("genre");
            int count = r.P.Int("count", 10, 0, 500), offset = r.P.Int("offset", 0, 0, int.MaxValue);
            var songs = InFolder(r, r.Library.View.Tracks).Where(t => string.Equals(t.Genre?.Trim(), genre.Trim(), StringComparison.OrdinalIgnoreCase))
                .Skip(offset).Take(count);
            return Done(new SubsonicNode("songsByGenre").AddList("song", songs.Select(t => Entries.Song(r, t))));
        });
    }

    internal static ValueTask<object?> Done(object? answer) => ValueTask.FromResult(answer);

    internal static SubsonicAlbum Album(SubsonicRequest r, string id) =>
        r.Library.Album(id) ?? throw SubsonicException.NotFound($"album '{SubsonicException.Clip(id)}'");

    internal static SubsonicArtist Artist(SubsonicRequest r, string id) =>
        r.Library.Artist(id) ?? throw SubsonicException.NotFound($"artist '{SubsonicException.Clip(id)}'");

    /// <summary>The tracks of the music folder <c>musicFolderId</c> names (all when none).</summary>
    internal static IEnumerable<Catalog.TrackRecord> InFolder(SubsonicRequest r, IEnumerable<Catalog.TrackRecord> tracks)
    {
        if (r.P.Int("musicFolderId", 1, int.MaxValue) is not { } folder) return tracks;
        if (folder > r.Library.View.Roots.Count) throw SubsonicException.NotFound($"music folder {folder}");
        return tracks.Where(t => r.Library.FolderOf(t) == folder);
    }

    private static IEnumerable<SubsonicArtist> Artists(SubsonicRequest r)
    {
        if (r.P.Int("musicFolderId", 1, int.MaxValue) is null) return r.Library.Artists;
        var inFolder = InFolder(r, r.Library.View.Tracks).Select(t => t.Id).ToHashSet();
        return r.Library.Artists.Where(a => a.Tracks.Any(t => inFolder.Contains(t.Id)));
    }

    /// <summary>An artist's albums, or an album's songs, as directories (the folder-browsing apps' view).</summary>
    private static SubsonicNode Directory(SubsonicRequest r)
    {
        var id = r.P.Require("id");
        if (r.Library.Artist(id) is { } artist)
            return new SubsonicNode("directory").Set("id", artist.Id).Set("name", artist.Name)
                .AddList("child", artist.Albums.Select(a => Entries.AlbumDirectory(r, a)));
        if (r.Library.Album(id) is { } album)
            return new SubsonicNode("directory").Set("id", album.Id).Set("parent", album.ArtistId).Set("name", album.Name)
                .AddList("child", album.Tracks.Select(t => Entries.Song(r, t, "child")));
        throw SubsonicException.NotFound($"directory '{SubsonicException.Clip(id)}'");
    }

    private static ValueTask<object?> AlbumInfo(SubsonicRequest r)
    {
        var id = r.P.Require("id");
        // an album, or (as apps browsing by folder ask) a song standing for its album
        if (r.Library.Album(id) is null && r.Library.Song(id) is null) throw SubsonicException.NotFound($"album '{SubsonicException.Clip(id)}'");
        return Done(new SubsonicNode("albumInfo"));
    }

    /// <summary>Whether a scan runs (here, just started by <paramref name="startedNow"/>, or another process's
    /// <c>earworm scan</c>) and how many songs it has gone through; the library's songs when none runs.</summary>
    private static SubsonicNode ScanStatus(SubsonicRequest r, bool startedNow)
    {
        var here = r.Services.Scans.Progress;
        var state = here is null && !startedNow ? r.Services.Status.Status().Scan : null;
        bool scanning = startedNow || here is not null || state is { Running: true };
        int count = here?.Done ?? (state is { Running: true } ? state.Done : startedNow ? 0 : r.Library.View.Tracks.Count);
        return new SubsonicNode("scanStatus").Set("scanning", scanning).Set("count", count);
    }

    private static long LastModified(SubsonicRequest r) =>
        r.Library.View.Tracks.Select(t => t.AnalysedAt?.ToUnixTimeMilliseconds() ?? 0).DefaultIfEmpty(0).Max();

    private static string FolderName(string root) => Path.GetFileName(root.TrimEnd('/')) is { Length: > 0 } name ? name : root;
}
