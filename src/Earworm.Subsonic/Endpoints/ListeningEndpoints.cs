using Earworm.App.Feedback;
using Earworm.Catalog;
using Earworm.Subsonic.Hosting;
using static Earworm.Subsonic.Endpoints.BrowsingEndpoints;

namespace Earworm.Subsonic.Endpoints;

/// <summary>scrobble, star, unstar and setRating, recorded as the listener's feedback, so their playlists and
/// recommendations learn from what they do in their apps: a submitted scrobble is a play (now-playing notices are not
/// stored), a starred song a like (unstarring takes it back), a rating of 1 a dislike (any other rating takes it
/// back); starred albums and artists are kept as stars.</summary>
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
            if (submission)
            {
                foreach (var t in tracks)
                    r.Services.Feedback.Record(new FeedbackRequest(t.Id, FeedbackKind.Play, r.User, $"scrobble ({Client(r)})"), r.User);
                r.Changed();
            }
            return Done(null);
        });
        api.Add("star", r => Star(r, starred: true));
        api.Add("unstar", r => Star(r, starred: false));
        api.Add("setRating", r =>
        {
            var track = r.Song();
            int rating = r.P.Int("rating", 0, 5) ?? throw SubsonicException.Missing("rating");
            if (rating == 1) r.Services.Feedback.Record(new FeedbackRequest(track.Id, FeedbackKind.Dislike, r.User, $"rated 1 ({Client(r)})"), r.User);
            else r.Services.Library.WithCatalog(c => c.RetractFeedback(r.User, track.Id, FeedbackKind.Dislike));
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

    private static string Client(SubsonicRequest r) => SubsonicException.Clip(r.P.Get("c") ?? "an app");
}
