using Earworm.Catalog;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;
using Earworm.Subsonic.Model;
using static Earworm.Subsonic.Endpoints.BrowsingEndpoints;
using static Earworm.Subsonic.Endpoints.ListeningEndpoints;

namespace Earworm.Subsonic.Endpoints;

/// <summary>getPlaylists, getPlaylist, createPlaylist, updatePlaylist, deletePlaylist: the listener's playlists, stored
/// with their listening data (collaborative filtering reads playlists as well), and this week's discovery list among
/// them once the cf model can make one. A listener edits only their own; one made public (updatePlaylist public=true)
/// other listeners see and play. savePlayQueue and getPlayQueue: the play queue
/// one of the listener's apps kept (the songs, the current one and where in it), so another takes it up there.</summary>
internal static class PlaylistEndpoints
{
    public const int MaxNameLength = 200;

    public const int MaxCommentLength = 2000;

    public static void Register(SubsonicApi api)
    {
        api.Add("getPlaylists", r =>
        {
            var owner = r.P.Get("username") ?? r.User;
            if (owner != r.User) throw new SubsonicException(ErrorCode.NotAuthorized, "only your own playlists can be listed");
            if (r.Services.Discover.WeeksPlaylist(r.User) is { Made: true }) r.Changed(); // this week's "Discover 2026-W49", made when missing
            // their own, and the playlists other listeners made public
            var lists = r.Services.Library.WithCatalog(c => c.PlaylistsOf(r.User).Concat(c.PublicPlaylists()).DistinctBy(p => p.Id)
                .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Id).ToList());
            return Done(new SubsonicNode("playlists").AddList("playlist", lists.Select(p => Playlist(r, p, "playlist", withEntries: false))));
        });
        api.Add("getPlaylist", r => Done(Playlist(r, Find(r, r.P.Require("id"), mustOwn: false), "playlist", withEntries: true)));
        api.Add("createPlaylist", r =>
        {
            var songs = Ids(r, "songId", required: false).Select(id => Song(r, id).Id).ToList();
            long id;
            if (r.P.Get("playlistId") is { } existing)
            {
                id = Find(r, existing, mustOwn: true).Id;
                r.Services.Library.WithCatalog(c => { c.UpdatePlaylist(id, Name(r, required: false), songs); return 0; });
            }
            else id = r.Services.Library.WithCatalog(c => c.CreatePlaylist(r.User, Name(r, required: true)!, songs));
            r.Changed();
            return Done(Playlist(r, Find(r, SubsonicIds.Playlist(id), mustOwn: true), "playlist", withEntries: true));
        });
        api.Add("updatePlaylist", r =>
        {
            var playlist = Find(r, r.P.Require("playlistId"), mustOwn: true);
            var add = Ids(r, "songIdToAdd", required: false).Select(id => Song(r, id).Id).ToList();
            var remove = r.P.All("songIndexToRemove").Select(v => int.TryParse(v, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var i) && i < playlist.TrackIds.Count ? i
                : throw SubsonicException.Malformed("songIndexToRemove", v, $"an index below {playlist.TrackIds.Count}")).ToHashSet();
            var tracks = add.Count + remove.Count == 0 ? null : playlist.TrackIds.Where((_, i) => !remove.Contains(i)).Concat(add).ToList();
            var comment = r.P.Get("comment") is { } said ? said.Trim() : null;   // given empty: the comment goes
            if (comment is { Length: > MaxCommentLength }) throw SubsonicException.Malformed("comment", $"{comment.Length} characters", $"at most {MaxCommentLength}");
            r.Services.Library.WithCatalog(c => { c.UpdatePlaylist(playlist.Id, Name(r, required: false), tracks, comment, r.P.Bool("public")); return 0; });
            r.Changed();
            return Done(null);
        });
        api.Add("savePlayQueue", r =>
        {
            var songs = Ids(r, "id", required: false).Select(id => Song(r, id).Id).ToList();   // none: the kept queue goes
            long? current = r.P.Get("current") is { Length: > 0 } c ? Song(r, c).Id : null;
            if (current is { } now && !songs.Contains(now))
                throw SubsonicException.Malformed("current", r.P.Get("current")!, "one of the queue's songs");
            long position = r.P.Long("position") ?? 0;
            if (position < 0) throw SubsonicException.Malformed("position", r.P.Get("position")!, "milliseconds, at least 0");
            r.Services.Library.WithCatalog(cat => { cat.SavePlayQueue(r.User, songs, current, position, Client(r)); return 0; });
            return Done(null);
        });
        api.Add("getPlayQueue", r =>
        {
            var queue = r.Services.Library.WithCatalog(c => c.PlayQueueOf(r.User));
            if (queue is null) return Done(null);   // none kept: an empty answer, as the API has it
            var tracks = queue.TrackIds.Select(r.Library.View.Find).OfType<TrackRecord>().ToList();   // songs gone from the library are left out
            long? current = queue.CurrentTrackId is { } id && tracks.Any(t => t.Id == id) ? id : null;
            return Done(new SubsonicNode("playQueue").Set("current", current is { } c ? SubsonicIds.Song(c) : null)
                .Set("position", current is null ? 0 : queue.PositionMs).Set("username", r.User).Set("changed", queue.ChangedAt)
                .Set("changedBy", queue.ChangedBy ?? "").AddList("entry", tracks.Select(t => Entries.Song(r, t, "entry"))));
        });
        api.Add("deletePlaylist", r =>
        {
            var playlist = Find(r, r.P.Require("id"), mustOwn: true);
            r.Services.Library.WithCatalog(c => c.DeletePlaylist(playlist.Id));
            r.Changed();
            return Done(null);
        });
    }

    private static ListenerPlaylist Find(SubsonicRequest r, string id, bool mustOwn)
    {
        var playlist = SubsonicIds.PlaylistId(id) is { } n ? r.Services.Library.WithCatalog(c => c.FindPlaylist(n)) : null;
        if (playlist is null || (playlist.Owner != r.User && playlist.Owner is not null && !playlist.Public))
            throw SubsonicException.NotFound($"playlist '{SubsonicException.Clip(id)}'"); // another's private one is not shown to exist
        if (mustOwn && playlist.Owner != r.User) throw new SubsonicException(ErrorCode.NotAuthorized, "only your own playlists can be changed");
        return playlist;
    }

    private static string? Name(SubsonicRequest r, bool required)
    {
        var name = required ? r.P.Require("name") : r.P.Get("name");
        if (name is { Length: > MaxNameLength }) throw SubsonicException.Malformed("name", name, $"at most {MaxNameLength} characters");
        return name?.Trim();
    }

    private static SubsonicNode Playlist(SubsonicRequest r, ListenerPlaylist p, string element, bool withEntries)
    {
        var tracks = p.TrackIds.Select(r.Library.View.Find).OfType<TrackRecord>().ToList();
        var node = new SubsonicNode(element).Set("id", SubsonicIds.Playlist(p.Id)).Set("name", p.Name).Set("owner", p.Owner ?? r.User)
            .Set("public", p.Public).Set("comment", p.Comment).Set("songCount", tracks.Count).Set("duration", (int)Math.Round(tracks.Sum(t => t.DurationSeconds ?? 0)))
            .Set("created", p.CreatedAt).Set("changed", p.UpdatedAt).Set("coverArt", tracks.FirstOrDefault(r.Library.HasArt) is { } pictured ? SubsonicIds.Song(pictured.Id) : null);
        if (withEntries) node.AddList("entry", tracks.Select(t => Entries.Song(r, t, "entry")));
        return node;
    }
}
