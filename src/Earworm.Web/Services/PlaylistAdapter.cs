using Earworm.Recommend.Playlists;
using Earworm.Web.Library;

namespace Earworm.Web.Services;

/// <summary>
/// The web's playlist requests run by Earworm.Recommend's <see cref="PlaylistEngine"/> (the CLI's <c>playlist</c>): ids and
/// an analysed upload become seeds, the session's history and likes steer (likes last, so they stay in the keep-on
/// window), the listener's dislikes and the session's skips are excluded; the engine's entries become picks with reasons.
/// </summary>
public sealed class PlaylistAdapter : IPlaylistEngine
{
    /// <param name="upload">The upload seed, placed in the space the playlist walks (which it names).</param>
    public PlaylistResult KeepPlaying(LibrarySnapshot library, KeepPlayingRequest request, IReadOnlySet<long> disliked, UploadSeed? upload)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(request);
        var space = library.Space(upload?.Space ?? request.Space);
        var seeds = new List<PlaylistSeed>();
        if (upload is not null) seeds.Add(new PlaylistSeed(null, upload.Vector, upload.Label, upload.Descriptors, upload.ContentHash));
        var played = new HashSet<long>();
        foreach (var id in (request.Seeds ?? []).Concat(request.History ?? []).Concat(request.Liked ?? []))
        {
            var facts = library.Facts.GetValueOrDefault(id) ?? throw new TrackNotFoundException(id);
            var v = space.Vector(id) ?? throw new UsageException($"{facts.DisplayName} (track {id}) has no vector in the {space.Name} space");
            seeds.Add(new PlaylistSeed(facts, v, facts.DisplayName));
            played.Add(id);
        }
        // The engine lists the library seeds first; the web asks only for what comes next.
        int seedEntries = played.Count;
        var options = new KeepPlayingOptions(request.Length + seedEntries, request.KeepOn, request.Drunk, request.SeedRandom ?? Random.Shared.Next());
        var result = space.Engine.KeepPlaying(seeds, options, Constraints(request, disliked));
        var converted = Convert(library, result, e => e.Role != "seed");
        return converted with { Tracks = PulledIn(space, seeds, converted.Tracks, request.KeepOn) };
    }

    public PlaylistResult JoinTheDots(LibrarySnapshot library, JoinTheDotsRequest request, IReadOnlySet<long> disliked)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(request);
        var space = library.Space(request.Space);
        var anchors = new[] { request.From }.Concat(request.Via ?? []).Append(request.To)
            .Select(id => library.Facts.GetValueOrDefault(id) ?? throw new TrackNotFoundException(id)).ToList();
        return Convert(library, space.Engine.JoinTheDots(anchors, request.Length, Constraints(request, disliked)), _ => true);
    }

    /// <summary>Names, for each pick, the track among the last keep-on ones (seeds first) that is nearest to it: the one
    /// that pulled it in.</summary>
    private static List<Pick> PulledIn(SpaceHandle space, List<PlaylistSeed> seeds, IReadOnlyList<Pick> picks, int keepOn)
    {
        var context = seeds.Select(s => (Id: s.Track?.Id, s.Label, s.Vector)).ToList();
        var result = new List<Pick>(picks.Count);
        foreach (var p in picks)
        {
            var v = space.Vector(p.Track.Id);
            if (v is null)
            {
                result.Add(p);
                continue;
            }
            var by = context.TakeLast(keepOn).MaxBy(c => space.Vectors.Similarity(c.Vector, v));
            result.Add(p with { Reasons = [.. p.Reasons, $"pulled in by {by.Label}"], PulledInBy = by.Id });
            context.Add((p.Track.Id, $"{p.Track.Artist} – {p.Track.Title}", v));
        }
        return result;
    }

    private static PlaylistConstraints Constraints(PlaylistSteering s, IReadOnlySet<long> disliked)
    {
        var tempo = PlaylistRequests.TempoRange(s.Tempo);
        return new PlaylistConstraints
        {
            TempoMinBpm = tempo?.Min,
            TempoMaxBpm = tempo?.Max,
            Energy = s.Energy switch { "rising" => EnergyTrend.Rising, "falling" => EnergyTrend.Falling, "steady" => EnergyTrend.Steady, _ => null },
            KeyCompatible = s.KeyCompatible,
            NoRepeatArtist = s.NoRepeatArtist,
            MaxMinutes = s.MaxMinutes,
            ExcludeTracks = [.. (s.Exclude ?? []).Concat(s.ExcludeDisliked ? disliked : [])],
            ExcludeArtists = [.. s.ExcludeArtists ?? []],
        };
    }

    private static PlaylistResult Convert(LibrarySnapshot library, Earworm.Recommend.Playlists.PlaylistResult r, Func<PlaylistEntry, bool> keep)
    {
        var picks = new List<Pick>();
        long? previous = null;
        foreach (var e in r.Entries)
        {
            if (keep(e))
            {
                var t = library.Find(e.TrackId)!;
                var reasons = e.Role switch
                {
                    "anchor" => e.Position == 1 ? ["the start you chose"] : e.Position == r.Entries.Count ? ["the end you chose"] : ["a waypoint you chose"],
                    _ => e.Reasons,
                };
                double score = e.Score is { } sc ? Math.Round(sc < 0 ? 1 / (1 - sc) : sc, 4) : 1;
                picks.Add(new Pick(TrackSummary.Of(t, library.Descriptors.GetValueOrDefault(t.Id)), score, [.. reasons], previous));
            }
            previous = e.TrackId;
        }
        var gaveWay = r.GaveWay.Select(g => $"{g.Constraint} gave way at track {g.Position}: {g.Detail}").Concat(r.Notes).ToList();
        return new PlaylistResult(r.Mode, r.Space, picks, gaveWay, Math.Round(picks.Sum(p => p.Track.DurationSeconds ?? 0) / 60, 2));
    }
}
