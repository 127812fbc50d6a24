using Earworm.App.Playlists;
using Earworm.App.Similar;
using Earworm.Catalog;
using Earworm.Recommend.Spaces;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Library;
using Earworm.Subsonic.Model;
using static Earworm.Subsonic.Endpoints.BrowsingEndpoints;

namespace Earworm.Subsonic.Endpoints;

/// <summary>
/// getSimilarSongs and getSimilarSongs2 (the Instant Mix), getTopSongs, getArtistInfo2 with similar artists, and the
/// sonicSimilarity extension: getSonicSimilarTracks and findSonicPath. Everything comes from the application layer's
/// similar tracks and playlists, in the best space the library has.
/// </summary>
internal static class SimilarityEndpoints
{
    public const int MaxCount = 500;

    /// <summary>No artist again within this many tracks of an Instant Mix, while the candidates allow.</summary>
    public const int MixArtistGap = 2;

    /// <summary>Candidates beyond the count an Instant Mix asks for: a track the artist rule holds back plays later, so a
    /// few spares keep the mix full.</summary>
    public const int MixSpare = 10;

    public static void Register(SubsonicApi api)
    {
        api.Add("getSimilarSongs", async r => new SubsonicNode("similarSongs").AddList("song", (await InstantMixAsync(r).ConfigureAwait(false)).Select(t => Entries.Song(r, t))));
        api.Add("getSimilarSongs2", async r => new SubsonicNode("similarSongs2").AddList("song", (await InstantMixAsync(r).ConfigureAwait(false)).Select(t => Entries.Song(r, t))));
        api.Add("getTopSongs", r =>
        {
            var name = r.P.Require("artist");
            int count = r.P.Int("count", 50, 0, MaxCount);
            var artist = r.Library.ArtistNamed(name.Trim());
            var plays = r.Listener.PlayCounts;
            var top = (artist?.Tracks ?? []).OrderByDescending(t => plays.GetValueOrDefault(t.Id)).ThenBy(t => t.Id).Take(count);
            return Done(new SubsonicNode("topSongs").AddList("song", top.Select(t => Entries.Song(r, t))));
        });
        api.Add("getArtistInfo2", r => ArtistInfo(r, "artistInfo2"));
        api.Add("getArtistInfo", r => ArtistInfo(r, "artistInfo"));
        api.Add("getSonicSimilarTracks", async r =>
        {
            var track = r.Song();
            int count = r.P.Int("count", 10, 1, MaxCount);
            var result = await r.Services.Similar.FindAsync(new SimilarRequest { Track = SubsonicIds.Song(track.Id), Count = count, Reasons = false }, r.Aborted).ConfigureAwait(false);
            return new SubsonicList("sonicMatch", [.. result.Results.Select(s => r.Library.View.Find(s.Track.Id) is { } t
                ? Match(r, t, SimilarityScale.Unit(s.Score)) : null).OfType<SubsonicNode>()]);
        });
        api.Add("findSonicPath", async r =>
        {
            var from = r.Song("startSongId");
            var to = r.Song("endSongId");
            int count = r.P.Int("count", 25, 2, PlaylistLimits.MaxLength);
            var path = await r.Services.Playlists.JoinTheDotsAsync(new JoinTheDotsRequest
            {
                From = SubsonicIds.Song(from.Id), To = SubsonicIds.Song(to.Id), Length = count, User = r.User,
            }, r.Aborted).ConfigureAwait(false);
            var space = r.Library.View.Space(path.Space).Vectors;
            var start = space.Contains(from.Id) ? space.VectorOf(from.Id).ToArray() : null;
            return new SubsonicList("sonicMatch", [.. path.Entries.Select(e => r.Library.View.Find(e.TrackId) is { } t
                ? Match(r, t, start is not null && space.Contains(t.Id) ? SimilarityScale.Unit(SimilarityScale.Displayed(space.Metric, space.Similarity(start, space.VectorOf(t.Id)))) : -1)
                : null).OfType<SubsonicNode>()]);
        });
    }

    private static SubsonicNode Match(SubsonicRequest r, TrackRecord t, double similarity) =>
        new SubsonicNode("sonicMatch").Set("similarity", Math.Round(similarity, 4)).Add(Entries.Song(r, t, "entry"));

    /// <summary>
    /// The Instant Mix: from a song, its nearest tracks (its duplicates left out) spread so no artist comes back within
    /// <see cref="MixArtistGap"/> tracks while the candidates allow; from an album or artist, keep playing seeded by
    /// their tracks. The listener's dislikes never play.
    /// </summary>
    private static async Task<IReadOnlyList<TrackRecord>> InstantMixAsync(SubsonicRequest r)
    {
        var id = r.P.Require("id");
        int count = r.P.Int("count", 50, 1, MaxCount);
        var lib = r.Library;
        if (lib.Song(id) is { } song)
        {
            var result = await r.Services.Similar.FindAsync(new SimilarRequest { Track = SubsonicIds.Song(song.Id), Count = Math.Min(SimilarRequest.MaxCount, count + MixSpare), Reasons = false },
                r.Aborted).ConfigureAwait(false);
            var disliked = r.Listener.DislikedTracks;
            var candidates = result.Results.Where(s => !disliked.Contains(s.Track.Id)).Select(s => lib.View.Find(s.Track.Id)).OfType<TrackRecord>().ToList();
            return Spread(candidates, count, MixArtistGap);
        }
        var seeds = (lib.Album(id)?.Tracks ?? lib.Artist(id)?.Tracks ?? throw SubsonicException.NotFound($"song, album or artist '{SubsonicException.Clip(id)}'"));
        var space = lib.View.Space(null);
        var seedIds = seeds.Where(t => space.Vectors.Contains(t.Id)).Select(t => t.Id).Take(PlaylistLimits.MaxKeepOn).ToList();
        if (seedIds.Count == 0) return [];
        var mix = await r.Services.Playlists.KeepPlayingAsync(new KeepPlayingRequest
        {
            History = seedIds, KeepOn = Math.Min(5, seedIds.Count), Length = Math.Min(count, PlaylistLimits.MaxLength), NextOnly = true,
            NoRepeatArtist = MixArtistGap, User = r.User, SeedRandom = 0,
        }, r.Aborted).ConfigureAwait(false);
        return [.. mix.Entries.Select(e => lib.View.Find(e.TrackId)).OfType<TrackRecord>()];
    }

    /// <summary>Up to <paramref name="count"/> of the candidates in their order, each next one the first whose artist is
    /// not among the last <paramref name="gap"/> picked (the first remaining when none qualifies).</summary>
    internal static IReadOnlyList<TrackRecord> Spread(IReadOnlyList<TrackRecord> candidates, int count, int gap)
    {
        var left = candidates.ToList();
        var picked = new List<TrackRecord>(Math.Min(count, left.Count));
        while (picked.Count < count && left.Count > 0)
        {
            int i = left.FindIndex(t => !PlayedWithin(picked, SubsonicLibrary.ArtistOf(t), gap));
            if (i < 0) i = 0;
            picked.Add(left[i]);
            left.RemoveAt(i);
        }
        return picked;
    }

    /// <summary>Whether <paramref name="artist"/> is among the last <paramref name="gap"/> tracks picked.</summary>
    private static bool PlayedWithin(List<TrackRecord> picked, string artist, int gap)
    {
        for (int k = Math.Max(0, picked.Count - gap); k < picked.Count; k++)
            if (string.Equals(SubsonicLibrary.ArtistOf(picked[k]), artist, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>An artist's similar artists (getArtistInfo2, and getArtistInfo from before ID3 tags: the same answer).</summary>
    private static ValueTask<object?> ArtistInfo(SubsonicRequest r, string element)
    {
        var artist = Artist(r, r.P.Require("id"));
        int count = r.P.Int("count", 20, 0, MaxCount);
        var view = r.Library.View;
        var similar = view.AvailableSpaces.Count == 0 ? []
            : ArtistSimilarity.Of(r.Library, view.Space(null)).Nearest(artist.Id, count);
        return Done(new SubsonicNode(element)
            .AddList("similarArtist", similar.Select(s => r.Library.Artist(s.ArtistId)).OfType<SubsonicArtist>().Select(a => Entries.Artist(r, a, "similarArtist"))));
    }
}
