using System.Globalization;
using Earworm.App.Feedback;
using Earworm.Catalog;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Model;
using static Earworm.Subsonic.Endpoints.BrowsingEndpoints;

namespace Earworm.Subsonic.Endpoints;

/// <summary>scrobble, star, unstar and setRating, recorded as the listener's feedback, so their playlists and
/// recommendations learn from what they do in their apps: a submitted scrobble is a play (a now-playing notice is
/// shown by getNowPlaying), a starred song a like (unstarring takes it back), a song rated 1 a dislike (any other
/// rating takes it back); ratings of songs, albums and artists are kept (0 removes one), starred albums and artists
/// as stars.</summary>
internal static class ListeningEndpoints
{
    public const int MaxIds = 1000;

    public static void Register(SubsonicApi api)
    {
        api.Add("scrobble", r =>
        {
            var ids = Ids(r, "id", required: true);
            bool submission = r.P.Bool("submission") ?? true;
            var tracks = ids.Select(id => Song(r, id)).ToList(); // all known before any is recorded
            var times = Times(r, tracks.Count);
            if (submission)
            {
                foreach (var (t, at) in tracks.Zip(times))
                {
                    r.Services.Feedback.Record(new FeedbackRequest(t.Id, FeedbackKind.Play, r.User, $"scrobble ({Client(r)})") { At = at }, r.User);
                    r.NowPlaying.Played(r.User, Client(r), t.Id);
                }
                r.Changed();
            }
            else if (tracks.Count > 0) r.NowPlaying.Playing(r.User, Client(r), tracks[^1].Id, tracks[^1].DurationSeconds);
            return Done(null);
        });
        api.Add("getNowPlaying", r => Done(new SubsonicNode("nowPlaying").AddList("entry", r.NowPlaying.Current()
            .Select(e => r.Library.View.Find(e.TrackId) is { } t
                ? Entries.Song(r, t, "entry").Set("username", e.User).Set("minutesAgo", (int)r.NowPlaying.Ago(e).TotalMinutes)
                    .Set("playerId", e.PlayerId).Set("playerName", e.Player)
                : null)
            .OfType<SubsonicNode>())));
        api.Add("star", r => Star(r, starred: true));
        api.Add("unstar", r => Star(r, starred: false));
        api.Add("setRating", r =>
        {
            var id = r.P.Require("id");
            int rating = r.P.Int("rating", 0, 5) ?? throw SubsonicException.Missing("rating");
            if (r.Library.Song(id) is { } track)
            {
                var key = track.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                // a rating of 1 is also a dislike, which steers recommendations away; any other takes the dislike back
                if (rating == 1) r.Services.Feedback.Record(new FeedbackRequest(track.Id, FeedbackKind.Dislike, r.User, $"rated 1 ({Client(r)})"), r.User);
                r.Services.Library.WithCatalog(c =>
                {
                    if (rating != 1) c.RetractFeedback(r.User, track.Id, FeedbackKind.Dislike);
                    c.SetRating(r.User, RatedKind.Song, key, rating);
                    return 0;
                });
            }
            else
            {
                var kind = r.Library.Album(id) is not null ? RatedKind.Album
                    : r.Library.Artist(id) is not null ? RatedKind.Artist
                    : throw SubsonicException.NotFound($"song, album or artist '{SubsonicException.Clip(id)}'");
                r.Services.Library.WithCatalog(c => { c.SetRating(r.User, kind, id, rating); return 0; });
            }
            r.Changed();
            return Done(null);
        });
    }

    private static ValueTask<object?> Star(SubsonicRequest r, bool starred)
    {
        var songs = Ids(r, "id", required: false).Select(id => Song(r, id)).ToList();
        var albums = Ids(r, "albumId", required: false).Select(id => Album(r, id)).ToList();
        var artists = Ids(r, "artistId", required: false).Select(id => Artist(r, id)).ToList();
        if (songs.Count + albums.Count + artists.Count == 0) throw SubsonicException.Missing("id");
        foreach (var t in songs)
        {
            if (starred) r.Services.Feedback.Record(new FeedbackRequest(t.Id, FeedbackKind.Like, r.User, $"starred ({Client(r)})"), r.User);
            else r.Services.Library.WithCatalog(c => c.RetractFeedback(r.User, t.Id, FeedbackKind.Like));
        }
        r.Services.Library.WithCatalog(c =>
        {
            foreach (var a in albums) c.SetStar(r.User, StarKind.Album, a.Id, starred);
            foreach (var a in artists) c.SetStar(r.User, StarKind.Artist, a.Id, starred);
            return 0;
        });
        r.Changed();
        return Done(null);
    }

    /// <summary>A song by id; an id that names nothing is error 70 before anything is recorded.</summary>
    internal static TrackRecord Song(SubsonicRequest r, string id) =>
        r.Library.Song(id) ?? throw SubsonicException.NotFound($"song '{SubsonicException.Clip(id)}'");

    internal static IReadOnlyList<string> Ids(SubsonicRequest r, string name, bool required)
    {
        var ids = r.P.All(name).Where(v => v.Length > 0).ToList();
        if (required && ids.Count == 0) throw SubsonicException.Missing(name);
        if (ids.Count > MaxIds) throw SubsonicException.Malformed(name, $"{ids.Count} values", $"at most {MaxIds} values");
        return ids;
    }

    /// <summary>When each scrobbled song was heard: the <c>time</c> values (milliseconds since 1970) go with the ids in
    /// order (an app that kept its plays while offline sends them late); an id without one was heard now.</summary>
    private static IReadOnlyList<DateTimeOffset?> Times(SubsonicRequest r, int songs)
    {
        var values = r.P.All("time").Where(v => v.Length > 0).ToList();
        if (values.Count > songs) throw SubsonicException.Malformed("time", $"{values.Count} values", $"at most one per id ({songs})");
        var times = values.Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long ms) && ms <= MaxTimeMs
            ? (DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw SubsonicException.Malformed("time", v, "milliseconds since 1970")).ToList();
        return [.. times, .. Enumerable.Repeat<DateTimeOffset?>(null, songs - times.Count)];
    }

    private const long MaxTimeMs = 253_402_300_799_999; // 9999-12-31, DateTimeOffset's last

    internal static string Client(SubsonicRequest r) => SubsonicException.Clip(r.P.Get("c") ?? "an app");
}
