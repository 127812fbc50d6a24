using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend;
using Earworm.Web.Library;

namespace Earworm.Web.Services;

/// <summary>
/// Stands in for Earworm.Recommend's playlist service until it lands (then <see cref="IPlaylistEngine"/> is bound to it
/// and this file goes). Keep playing: the query is the mean of the last keep-on tracks (and the session's likes), plus
/// Gaussian noise of σ = drunk·‖query‖; join the dots: points interpolated between the anchors, one track per step,
/// ending on the last anchor. Constraints filter the candidates; when none passes, the weakest gives way and is named.
/// </summary>
public sealed class InterimPlaylistEngine : IPlaylistEngine
{
    private const int Candidates = 60;

    public PlaylistResult KeepPlaying(LibrarySnapshot library, KeepPlayingRequest request, IReadOnlySet<long> disliked, TrackDescriptors? upload)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(request);
        var space = library.Space(upload is not null ? DescriptorSpace.Name : request.Space);
        var random = request.SeedRandom is { } s ? new Random(s) : new Random();
        var context = new List<(long? Id, float[] Vector, TrackDescriptors? D)>();
        if (upload is not null) context.Add((null, space.Place(upload)!, upload));
        foreach (var id in (request.Seeds ?? []).Concat(request.History ?? []))
        {
            if (library.Find(id) is null) throw new TrackNotFoundException(id);
            if (space.Vector(id) is { } v) context.Add((id, v, library.Descriptors.GetValueOrDefault(id)));
        }
        if (context.Count == 0) throw new UsageException($"none of the seeds has a vector in the {space.Name} space");
        var liked = (request.Liked ?? []).Select(space.Vector).OfType<float[]>().ToList();
        var used = new HashSet<long>(context.Where(c => c.Id is not null).Select(c => c.Id!.Value));
        var picks = new List<Pick>();
        var walk = new Walk(library, space, request, disliked, used);
        for (int step = 0; step < request.Length; step++)
        {
            var recent = context.TakeLast(request.KeepOn).ToList();
            var query = Mean(recent.Select(c => c.Vector).Concat(liked).ToList());
            if (request.Drunk > 0) AddNoise(query, request.Drunk, random);
            var pick = walk.Next(query, recent[^1].D, recent);
            if (pick is null) break;
            picks.Add(pick);
            context.Add((pick.Track.Id, space.Vector(pick.Track.Id)!, library.Descriptors.GetValueOrDefault(pick.Track.Id)));
        }
        return new PlaylistResult("keep-playing", space.Name, picks, walk.GaveWay, Minutes(picks));
    }

    public PlaylistResult JoinTheDots(LibrarySnapshot library, JoinTheDotsRequest request, IReadOnlySet<long> disliked)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(request);
        var space = library.Space(request.Space);
        var anchors = new List<long> { request.From };
        anchors.AddRange(request.Via ?? []);
        anchors.Add(request.To);
        var vectors = anchors.Select(id => (library.Find(id) is null ? throw new TrackNotFoundException(id) : space.Vector(id))
            ?? throw new UsageException($"track {id} has no vector in the {space.Name} space")).ToList();
        // Steps between anchors in proportion to their distance, each segment at least one.
        int between = request.Length - anchors.Count;
        var lengths = Enumerable.Range(0, anchors.Count - 1).Select(i => Math.Sqrt(SquaredDistance(vectors[i], vectors[i + 1])) + 1e-9).ToList();
        var share = lengths.Select(l => (int)Math.Floor(between * l / lengths.Sum())).ToArray();
        for (int i = 0; between - share.Sum() > 0; i = (i + 1) % share.Length) share[i]++;
        var used = new HashSet<long>(anchors);
        var walk = new Walk(library, space, request, disliked, used);
        var picks = new List<Pick> { AnchorPick(library, space, anchors[0], null, "start") };
        for (int seg = 0; seg < anchors.Count - 1; seg++)
        {
            var last = anchors[seg];
            for (int k = 1; k <= share[seg]; k++)
            {
                float t = (float)k / (share[seg] + 1);
                var point = vectors[seg].Zip(vectors[seg + 1], (a, b) => a + t * (b - a)).ToArray();
                var context = new List<(long? Id, float[] Vector, TrackDescriptors? D)>
                {
                    (anchors[seg], vectors[seg], library.Descriptors.GetValueOrDefault(anchors[seg])),
                    (anchors[seg + 1], vectors[seg + 1], library.Descriptors.GetValueOrDefault(anchors[seg + 1])),
                };
                var pick = walk.Next(point, library.Descriptors.GetValueOrDefault(last), context);
                if (pick is null) break;
                picks.Add(pick);
                last = pick.Track.Id;
            }
            picks.Add(AnchorPick(library, space, anchors[seg + 1], last, seg + 1 == anchors.Count - 1 ? "end" : "waypoint"));
        }
        return new PlaylistResult("join-the-dots", space.Name, picks, walk.GaveWay, Minutes(picks));
    }

    private static Pick AnchorPick(LibrarySnapshot library, TrackSpace space, long id, long? previous, string role)
    {
        var t = library.Find(id)!;
        var d = library.Descriptors.GetValueOrDefault(id);
        var reasons = new List<string> { $"the {role} you chose" };
        if (previous is { } p) reasons.AddRange(SimilarService.Reasons(space, library.Descriptors.GetValueOrDefault(p), d).Where(r => !r.StartsWith("overall", StringComparison.Ordinal)));
        return new Pick(TrackSummary.Of(t, d), 1, reasons, null);
    }

    /// <summary>One pick at a time under the constraints, remembering which gave way.</summary>
    private sealed class Walk(LibrarySnapshot library, TrackSpace space, PlaylistSteering steering, IReadOnlySet<long> disliked, HashSet<long> used)
    {
        private readonly (double Min, double Max)? _tempo = PlaylistRequests.TempoRange(steering.Tempo);
        private readonly HashSet<long> _excluded = [.. steering.Exclude ?? []];
        private readonly HashSet<string> _excludedArtists = new((steering.ExcludeArtists ?? []).Select(a => a.Trim()), StringComparer.OrdinalIgnoreCase);
        private readonly List<string?> _artists = [.. used.Select(id => library.Find(id)?.Artist)];
        // Duplicates (the same content, or the same artist and title) count as the track itself.
        private readonly HashSet<string> _identities = [.. used.Select(id => library.Find(id)).OfType<TrackRecord>().SelectMany(Identities)];

        private static IEnumerable<string> Identities(TrackRecord t)
        {
            if (t.ContentHash is not null) yield return "#" + t.ContentHash;
            if (t.Artist is not null && t.Title is not null) yield return $"{t.Artist.Trim().ToUpperInvariant()}\u0001{t.Title.Trim().ToUpperInvariant()}";
        }
        private double _minutes;

        public List<string> GaveWay { get; } = [];

        public Pick? Next(float[] query, TrackDescriptors? previous, IReadOnlyList<(long? Id, float[] Vector, TrackDescriptors? D)> context)
        {
            if (steering.MaxMinutes is { } max && _minutes >= max) return null;
            bool Hard(long id) => used.Contains(id) || _excluded.Contains(id) || (steering.ExcludeDisliked && disliked.Contains(id))
                                  || library.Find(id) is not { } t || (t.Artist is not null && _excludedArtists.Contains(t.Artist))
                                  || Identities(t).Any(_identities.Contains);
            var candidates = space.Index.Nearest(query, Candidates, Hard);
            if (candidates.Count == 0) return null;
            // Soft constraints, weakest last: the last one to fail is named as having given way.
            var rules = new List<(string Name, Func<long, bool> Ok)>();
            if (_tempo is { } range) rules.Add(("tempo", id => library.Descriptors.GetValueOrDefault(id)?.TempoBpm is { } b && b >= range.Min && b <= range.Max));
            if (steering.NoRepeatArtist > 0)
                rules.Add(("no-repeat-artist", id => library.Find(id)!.Artist is not { } a ||
                    !_artists.TakeLast(steering.NoRepeatArtist).Contains(a, StringComparer.OrdinalIgnoreCase)));
            if (steering.KeyCompatible && previous?.CamelotCode is { } key)
                rules.Add(("key-compatible", id => library.Descriptors.GetValueOrDefault(id)?.CamelotCode is { } k && DescriptorSimilarity.KeysCompatible(key, k)));
            if (steering.Energy is "rising" or "falling" or "steady" && previous is not null)
                rules.Add(("energy", id => library.Descriptors.GetValueOrDefault(id) is { } d && steering.Energy switch
                {
                    "rising" => d.Energy >= previous.Energy - 0.01,
                    "falling" => d.Energy <= previous.Energy + 0.01,
                    _ => Math.Abs(d.Energy - previous.Energy) <= 0.1,
                }));
            if (steering.MaxMinutes is { } limit)
                rules.Add(("max-minutes", id => _minutes + (library.Find(id)!.DurationSeconds ?? 0) / 60 <= limit));
            Neighbour? chosen = null;
            for (int keep = rules.Count; keep >= 0 && chosen is null; keep--)
            {
                var active = rules.Take(keep).ToList();
                foreach (var c in candidates)
                {
                    if (active.All(r => r.Ok(c.Key)))
                    {
                        chosen = c;
                        break;
                    }
                }
                if (chosen is not null && keep < rules.Count)
                {
                    var note = $"{rules[keep].Name} gave way at track {used.Count + 1}";
                    if (rules[keep].Name == "max-minutes") return null;
                    GaveWay.Add(note);
                }
            }
            var pick = chosen!.Value;
            used.Add(pick.Key);
            var track = library.Find(pick.Key)!;
            _artists.Add(track.Artist);
            _identities.UnionWith(Identities(track));
            _minutes += (track.DurationSeconds ?? 0) / 60;
            var d = library.Descriptors.GetValueOrDefault(pick.Key);
            var vector = space.Vector(pick.Key)!;
            // The context track nearest the pick is the one that pulled it in.
            var pulled = context.MinBy(c => SquaredDistance(c.Vector, vector));
            var reasons = SimilarService.Reasons(space, pulled.D, d).ToList();
            reasons.Add(pulled.Id is { } pid ? $"pulled in by {Name(library.Find(pid))}" : "pulled in by your file");
            return new Pick(TrackSummary.Of(track, d), Math.Round(space.Similarity(pick.Score), 4), reasons, pulled.Id);
        }

        private static string Name(TrackRecord? t) => t is null ? "?" : $"{t.Artist} – {t.Title ?? Path.GetFileName(t.Path)}";
    }

    private static float[] Mean(IReadOnlyList<float[]> vectors)
    {
        var m = new float[vectors[0].Length];
        foreach (var v in vectors)
            for (int i = 0; i < m.Length; i++) m[i] += v[i] / vectors.Count;
        return m;
    }

    private static void AddNoise(float[] q, double drunk, Random random)
    {
        double sigma = drunk * Math.Sqrt(q.Sum(x => (double)x * x));
        for (int i = 0; i < q.Length; i++)
        {
            // Box–Muller
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            q[i] += (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }

    private static float SquaredDistance(float[] a, float[] b) => Earworm.Learning.Numerics.Simd.SquaredDistance(a, b);

    private static double Minutes(IEnumerable<Pick> picks) => Math.Round(picks.Sum(p => p.Track.DurationSeconds ?? 0) / 60, 2);
}

/// <summary>A request named a track the library does not have (404).</summary>
public sealed class TrackNotFoundException(long id) : EarwormException($"no track {id} in the library")
{
    public long TrackId { get; } = id;
}
