using System.Globalization;
using Earworm.Audio.Descriptors;
using Earworm.Learning.Numerics;
using Earworm.Recommend.Spaces;

namespace Earworm.Recommend.Playlists;

/// <summary>Keep playing: how long, how much history steers, how much randomness.</summary>
/// <param name="Length">Tracks in the playlist, the seeds from the library included.</param>
/// <param name="KeepOn">The query is the mean of the last K tracks' vectors (seeds included).</param>
/// <param name="Drunk">Deej-A.I.'s drunk: Gaussian noise of per-component σ = X·‖query‖ added to the query, so a
/// candidate's score moves by about X whatever the space's dimension (0: deterministic).</param>
/// <param name="RandomSeed">Seeds the noise, for reproducible drunk playlists.</param>
/// <param name="AwayWeight">How far the query moves away from the tracks to avoid (skipped ones): the query becomes
/// s + w·(s − a), s the mean of the steering tracks and a the mean of those to avoid — Rocchio's relevance feedback
/// (Rocchio 1971) with the negative examples' weight w relative to the positive ones'.</param>
public sealed record KeepPlayingOptions(int Length = 20, int KeepOn = 3, double Drunk = 0, int RandomSeed = 0, double AwayWeight = KeepPlayingOptions.DefaultAwayWeight)
{
    /// <summary>Half as far again from the avoided tracks as the steering tracks' mean lies from them.</summary>
    public const double DefaultAwayWeight = 0.5;

    /// <summary>The most drunk a walk can be, in every front end: at 1 the noise in each dimension is as large as the
    /// whole query, so the next pick is nearly random in any space; more would say nothing more.</summary>
    public const double MaxDrunk = 1;

    public KeepPlayingOptions Validate()
    {
        if (Length < 1) throw new UsageException("--length must be at least 1");
        if (KeepOn < 1) throw new UsageException("--keep-on must be at least 1");
        if (!(Drunk >= 0) || Drunk > MaxDrunk) throw new UsageException($"--drunk must be between 0 and {MaxDrunk} (nearly random)");
        if (!(AwayWeight >= 0 && AwayWeight <= 10)) throw new UsageException("the weight of the tracks to avoid must be 0–10");
        return this;
    }
}

/// <summary>A seed of a keep-playing playlist: a library track (played first) or a point of the space (a file outside
/// the library, which steers but is not played).</summary>
/// <param name="Descriptors">A file seed's measured descriptors, so the first track's reasons can compare with it.</param>
/// <param name="ContentHash">For a file outside the library: its <c>ContentHash</c>, so a library copy of it is not played
/// as if it were another track.</param>
public sealed record PlaylistSeed(TrackFacts? Track, float[] Vector, string Label, TrackDescriptors? Descriptors = null, string? ContentHash = null);

/// <summary>
/// The playlist engine over one space, pure (no I/O): keep playing (Deej-A.I.'s "keep on" and "drunk") and join the
/// dots (interpolation between anchors), under <see cref="PlaylistConstraints"/>. A track is never repeated, nor a
/// duplicate of one already in the list (same content hash, or same artist and title).
/// </summary>
public sealed partial class PlaylistEngine
{
    private static readonly int[] PoolSizes = [64, 512, 4096];
    private readonly VectorSpace _space;
    private readonly IVectorIndex _index;
    private readonly IReadOnlyDictionary<long, TrackFacts> _facts;

    public PlaylistEngine(VectorSpace space, IVectorIndex index, IReadOnlyDictionary<long, TrackFacts> facts)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _facts = facts ?? throw new ArgumentNullException(nameof(facts));
    }

    /// <summary>Keep playing: the seeds from the library first, then each next track the best not-yet-played one near the
    /// mean of the last <see cref="KeepPlayingOptions.KeepOn"/> vectors (plus the drunk noise), moved away from the
    /// tracks to avoid (<see cref="KeepPlayingOptions.AwayWeight"/>).</summary>
    /// <param name="away">Vectors of tracks the listener skipped: the picks steer away from their mean (the caller
    /// excludes the tracks themselves).</param>
    /// <param name="order">A model of listening order: while it knows the tracks so far and proposes one that may be
    /// played, it picks the next track (<see cref="OrderPick"/>); the space picks otherwise. Null: the space alone.</param>
    public PlaylistResult KeepPlaying(IReadOnlyList<PlaylistSeed> seeds, KeepPlayingOptions options, PlaylistConstraints constraints,
        IReadOnlyList<float[]>? away = null, INextTrackOrder? order = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        away ??= [];
        if (away.Any(v => v.Length != _space.Dimension)) throw new ArgumentException($"a vector to avoid does not have the {_space.Name} space's {_space.Dimension} dimensions", nameof(away));
        var avoid = away.Count > 0 && options.AwayWeight > 0 ? Mean(away) : null;
        options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        constraints = (constraints ?? throw new ArgumentNullException(nameof(constraints))).Validate();
        if (seeds.Count == 0) throw new UsageException("a keep-playing playlist needs at least one seed");
        var state = new State(this, constraints);
        var history = new List<(float[] Vector, PulledIn By)>();
        foreach (var seed in seeds)
        {
            if (seed.Vector.Length != _space.Dimension)
                throw new ArgumentException($"seed {seed.Label}: {seed.Vector.Length} dimensions, the {_space.Name} space has {_space.Dimension}", nameof(seeds));
            history.Add((seed.Vector, new PulledIn(seed.Track?.Id, seed.Label)));
            if (seed.Track is { } t && state.Entries.Count < options.Length && !state.IsUsed(t))
                state.Add(t, "seed", null, ["seed"]);
            else if (seed.Track is null)
                state.Follow(new TrackFacts(-1, seed.Label, null, seed.Label, null, seed.ContentHash, seed.Descriptors));
        }
        // the seeds are always played, even when they alone outlast --max-minutes: then the playlist stops there, and says why
        int seedsPlayed = state.Entries.Count;
        double seedMinutes = state.Minutes;
        var random = new Random(options.RandomSeed);
        while (state.Entries.Count < options.Length)
        {
            var steering = history.TakeLast(options.KeepOn).ToList();
            var steer = Mean([.. steering.Select(h => h.Vector)]);
            if (order is not null && OrderPick(order, state, options.Drunk, random) is { } next)
            {
                var v = _space.VectorOf(next.Track.Id).ToArray();
                state.Add(next.Track, "next", _space.Similarity(steer, v), next.Reasons);
                history.Add((v, new PulledIn(next.Track.Id, next.Track.DisplayName)));
                continue;
            }
            var query = avoid is null ? steer : Away(steer, avoid, (float)options.AwayWeight);
            if (options.Drunk > 0)
            {
                query = (float[])query.Clone();
                AddNoise(query, options.Drunk, random);
            }
            var pick = state.Pick(query);
            if (pick is null) break;
            var (track, picked, violated) = pick.Value;
            // the reason names the mean of the last tracks, so its score is against that mean, not the drunk query
            var vector = _space.VectorOf(track.Id).ToArray();
            float score = options.Drunk > 0 ? _space.Similarity(steer, vector) : picked;
            var reasons = new List<string> { Invariant($"near {(steering.Count == 1 ? "the last track" : $"the mean of the last {steering.Count} tracks")} in {_space.Name} ({Closeness(score)})") };
            if (order is not null) reasons.Add($"{order.Description} had no playable pick after these tracks");
            if (avoid is not null) reasons.Add(Invariant($"away from {(away.Count == 1 ? "the track skipped" : $"the {away.Count} tracks skipped")} ({Closeness(_space.Similarity(avoid, vector))})"));
            // of the tracks that steered, the one nearest to the pick pulled it in
            var by = steering.MaxBy(h => _space.Similarity(h.Vector, vector)).By;
            state.Add(track, "next", score, reasons, violated, by);
            history.Add((vector, new PulledIn(track.Id, track.DisplayName)));
        }
        if (state.Entries.Count < options.Length)
        {
            string why = constraints.MaxMinutes is { } max && seedMinutes > max
                ? Invariant($"the {(seedsPlayed == 1 ? "seed alone lasts" : $"{seedsPlayed} seeds alone last")} {seedMinutes:0.0} minutes, more than --max-minutes {max:0.#}")
                : state.StopReason;
            state.Notes.Insert(0, $"{state.Entries.Count} of the {options.Length} tracks asked for: {why}");
        }
        return state.Result("keep-playing");
    }

    /// <summary>Join the dots: from the first anchor to the last through the others, <paramref name="length"/> tracks in
    /// all (anchors included). The free steps are shared among the legs in proportion to their length in the space
    /// (largest remainder); step j of a leg P→Q with m steps is the best unused track near (1 − t)·P + t·Q,
    /// t = j/(m+1) (unit vectors in a cosine space). Anchors are reserved, so the list ends exactly at the last.</summary>
    public PlaylistResult JoinTheDots(IReadOnlyList<TrackFacts> anchors, int length, PlaylistConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        constraints = (constraints ?? throw new ArgumentNullException(nameof(constraints))).Validate();
        if (anchors.Count < 2) throw new UsageException("join the dots needs --from and --to");
        if (anchors.Select(a => a.Id).Distinct().Count() != anchors.Count) throw new UsageException("the same track is named twice among --from, --via and --to");
        if (length < anchors.Count) throw new UsageException($"--length {length} is shorter than the {anchors.Count} tracks named (--from, --via, --to)");
        foreach (var a in anchors)
            if (!_space.Contains(a.Id)) throw new UsageException($"{a.DisplayName} (track {a.Id}) has no vector in the {_space.Name} space");
        var vectors = anchors.Select(a => Unit(_space.VectorOf(a.Id).ToArray())).ToList();
        var steps = ShareSteps(vectors, length - anchors.Count);
        var state = new State(this, constraints);
        foreach (var a in anchors) state.Reserve(a.Id);
        for (int leg = 0; leg < anchors.Count - 1; leg++)
        {
            state.Add(anchors[leg], "anchor", null, [leg == 0 ? "from" : "via"]);
            int m = steps[leg];
            for (int j = 1; j <= m; j++)
            {
                float t = (float)j / (m + 1);
                var target = new float[_space.Dimension];
                for (int d = 0; d < target.Length; d++) target[d] = (1 - t) * vectors[leg][d] + t * vectors[leg + 1][d];
                var pick = state.Pick(target);
                if (pick is null)
                {
                    state.Notes.Add($"leg {leg + 1} ended after {j - 1} of its {m} steps: {state.StopReason}");
                    break;
                }
                var (track, score, violated) = pick.Value;
                state.Add(track, "step", score, [Invariant($"step {j}/{m} towards {anchors[leg + 1].DisplayName} ({Closeness(score)} to the waypoint)")], violated);
            }
        }
        state.Add(anchors[^1], "anchor", null, ["to"]);
        if (constraints.MaxMinutes is { } max && state.Minutes > max)
            state.GaveWay.Add(new ConstraintRelaxation(state.Entries.Count, "max-minutes",
                Invariant($"the walk lasts {state.Minutes:0.0} minutes, more than {max:0.#}, since it must end at the last anchor")));
        return state.Result("join-the-dots");
    }

    /// <summary>Free steps per leg, in proportion to the legs' lengths (largest remainder; equal legs when all are 0).</summary>
    internal static int[] ShareSteps(IReadOnlyList<float[]> anchors, int free)
    {
        int legs = anchors.Count - 1;
        var length = new double[legs];
        for (int i = 0; i < legs; i++) length[i] = Math.Sqrt(Simd.SquaredDistance(anchors[i], anchors[i + 1]));
        double total = length.Sum();
        var share = total > 0 ? length.Select(l => free * l / total).ToArray() : Enumerable.Repeat((double)free / legs, legs).ToArray();
        var steps = share.Select(s => (int)Math.Floor(s)).ToArray();
        foreach (var i in Enumerable.Range(0, legs).OrderByDescending(i => share[i] - steps[i]).ThenBy(i => i).Take(free - steps.Sum()))
            steps[i]++;
        return steps;
    }

    /// <summary>In a cosine space, <paramref name="v"/> made a unit vector in place (a Euclidean space keeps lengths).</summary>
    private float[] Unit(float[] v)
    {
        if (_space.Metric == Metric.Cosine) VectorNorm.Normalise(v);
        return v;
    }

    private float[] Mean(IReadOnlyList<float[]> vectors)
    {
        var mean = new float[_space.Dimension];
        foreach (var v in vectors)
        {
            var u = Unit(v.ToArray());
            Simd.AddScaled(1f / vectors.Count, u, mean);
        }
        return mean;
    }

    /// <summary>s + w·(s − a): the steering point moved away from the point to avoid (Rocchio 1971).</summary>
    private static float[] Away(float[] steer, float[] avoid, float weight)
    {
        var q = new float[steer.Length];
        for (int i = 0; i < q.Length; i++) q[i] = steer[i] + weight * (steer[i] - avoid[i]);
        return q;
    }

    /// <summary>Deej-A.I.'s drunk walk: Gaussian noise of σ = X·‖query‖ in every dimension. A candidate's dot product
    /// with the query then moves by X·‖query‖·‖candidate‖ (one standard deviation) whatever the space's dimension, so
    /// one X means the same randomness in a 24-dimensional descriptor space and a 768-dimensional audio space.</summary>
    private static void AddNoise(float[] query, double drunk, Random random)
    {
        double sigma = drunk * Math.Sqrt(Simd.Dot(query, query));
        for (int i = 0; i < query.Length; i++) query[i] += (float)(sigma * Gaussian(random));
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A score as words: the cosine, or the distance in a Euclidean space.</summary>
    private string Closeness(float score) => _space.Metric == Metric.Cosine ? Invariant($"cosine {score:0.000}") : Invariant($"distance {-score:0.00}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>The playlist being built: what is used, what is excluded, and how to pick the next track.</summary>
    private sealed class State(PlaylistEngine engine, PlaylistConstraints c)
    {
        private readonly HashSet<long> _used = [];
        private readonly HashSet<long> _reserved = [];
        private readonly HashSet<string> _hashes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _identities = new(StringComparer.Ordinal);
        private readonly HashSet<long> _excluded = [.. c.ExcludeTracks];
        private readonly HashSet<long>? _only = c.OnlyTracks is null ? null : [.. c.OnlyTracks];
        private readonly HashSet<string> _excludedArtists = new(c.ExcludeArtists.Select(a => a.Trim()), StringComparer.OrdinalIgnoreCase);
        private TrackFacts? _previous;

        public List<PlaylistEntry> Entries { get; } = [];
        public List<ConstraintRelaxation> GaveWay { get; } = [];
        public List<string> Notes { get; } = [];
        public double Minutes { get; private set; }
        public string StopReason { get; private set; } = "no track left that is not played, excluded or a duplicate";

        public void Reserve(long id) => _reserved.Add(id);

        /// <summary>A seed outside the library: the next pick follows it, and a library copy of it is used up.</summary>
        public void Follow(TrackFacts t)
        {
            _previous = t;
            if (t.ContentHash is { } h) _hashes.Add(h);
        }

        public bool IsUsed(TrackFacts t) => _used.Contains(t.Id) || (t.ContentHash is { } h && _hashes.Contains(h))
                                            || (t.Identity is { } i && _identities.Contains(i));

        /// <param name="pulledIn">What pulled the track in; null: the track before it, when there is one.</param>
        public void Add(TrackFacts t, string role, float? score, List<string> reasons, IReadOnlyList<(string Name, string Detail)>? violated = null,
            PulledIn? pulledIn = null)
        {
            pulledIn ??= _previous is { Id: >= 0 } before ? new PulledIn(before.Id, before.DisplayName) : null;
            _used.Add(t.Id);
            if (t.ContentHash is { } h) _hashes.Add(h);
            if (t.Identity is { } i) _identities.Add(i);
            var d = t.Descriptors;
            double? similarity = null;
            if (_previous is { } p)
            {
                var a = engine._space.VectorOf(p.Id);
                var b = engine._space.VectorOf(t.Id);
                if (!a.IsEmpty && !b.IsEmpty) similarity = Math.Round(VectorSpace.Cosine(a, b), 4);
                if (p.Descriptors is { } pd && d is not null) reasons.AddRange(DescriptorSimilarity.Reasons(pd, d));
            }
            foreach (var (name, detail) in violated ?? [])
                GaveWay.Add(new ConstraintRelaxation(Entries.Count + 1, name, detail));
            Entries.Add(new PlaylistEntry(Entries.Count + 1, t.Id, t.Path, t.Artist, t.Title, t.DurationSeconds, role,
                score is { } s ? Math.Round(s, 4) : null, similarity, d?.TempoBpm is { } bpm ? Math.Round(bpm, 1) : null,
                d is null ? null : Math.Round(d.Energy, 3), d?.CamelotCode, reasons,
                score is { } shown ? Math.Round(SimilarityScale.Displayed(engine._space.Metric, shown), 4) : null, pulledIn));
            Minutes += (t.DurationSeconds ?? 0) / 60;
            _previous = t;
        }

        /// <summary>The best candidate near <paramref name="query"/>: among the nearest 64 (then 512, 4096) unused and allowed
        /// tracks, the first that meets every constraint; when none does, the one whose broken constraints matter least
        /// (ties to the nearer), with what it broke.</summary>
        public (TrackFacts Track, float Score, IReadOnlyList<(string, string)> Violated)? Pick(float[] query)
        {
            bool tooLongSeen = false;
            bool Excluded(long id) => IsExcluded(id, ref tooLongSeen);
            IReadOnlyList<Neighbour> pool = [];
            foreach (int size in PoolSizes)
            {
                pool = engine._index.Nearest(query, Math.Min(size, engine._index.Count), Excluded);
                foreach (var n in pool)
                    if (Violations(engine._facts[n.Key]).Count == 0) return (engine._facts[n.Key], n.Score, []);
                if (pool.Count < size) break; // the whole space was searched
            }
            if (pool.Count == 0)
            {
                if (tooLongSeen) StopReason = Invariant($"--max-minutes {c.MaxMinutes:0.#} reached");
                return null;
            }
            var best = pool.Select((n, rank) => (n, rank, v: Violations(engine._facts[n.Key])))
                .OrderBy(x => x.v.Sum(v => v.Weight)).ThenBy(x => x.rank).First();
            return (engine._facts[best.n.Key], best.n.Score, best.v.Select(v => (v.Name, v.Detail)).ToList());
        }

        /// <summary>Whether a track may not be picked now: used, reserved, excluded, outside the tracks allowed, a
        /// duplicate, by an excluded artist, or longer than the minutes left (which sets <paramref name="tooLong"/>).</summary>
        public bool IsExcluded(long id, ref bool tooLong)
        {
            if (_used.Contains(id) || _reserved.Contains(id) || _excluded.Contains(id) || (_only is not null && !_only.Contains(id))) return true;
            if (!engine._facts.TryGetValue(id, out var t)) return true;
            if (IsUsed(t)) return true;
            if (t.Artist is { } a && _excludedArtists.Contains(a.Trim())) return true;
            double remaining = c.MaxMinutes is { } max ? max - Minutes : double.PositiveInfinity;
            if ((t.DurationSeconds ?? 0) / 60 > remaining + 1e-9) { tooLong = true; return true; }
            return false;
        }

        /// <summary>The first of <paramref name="candidates"/> (best first) that may be played and meets every
        /// constraint, with its rank among them; null when none does (the space then picks, and may relax).</summary>
        public (TrackFacts Track, int Rank)? FirstAllowed(IEnumerable<long> candidates)
        {
            bool tooLong = false;
            int rank = 0;
            foreach (var id in candidates)
            {
                rank++;
                if (IsExcluded(id, ref tooLong) || !engine._space.Contains(id)) continue;
                var t = engine._facts[id];
                if (Violations(t).Count == 0) return (t, rank);
            }
            return null;
        }

        /// <summary>The constraints a candidate breaks, each with a weight: the artist rule 8, tempo 4, energy 2, key 1
        /// (the least important gives way first).</summary>
        private List<(string Name, string Detail, int Weight)> Violations(TrackFacts t)
        {
            var list = new List<(string, string, int)>();
            var d = t.Descriptors;
            var p = _previous?.Descriptors;
            if (c.NoRepeatArtist > 0 && t.Artist is { } artist)
            {
                int since = Entries.Count - 1 - Entries.FindLastIndex(e => string.Equals(e.Artist?.Trim(), artist.Trim(), StringComparison.OrdinalIgnoreCase));
                if (since < c.NoRepeatArtist && since < Entries.Count)
                    list.Add(("no-repeat-artist", Invariant($"{artist} again after {since} other tracks (--no-repeat-artist {c.NoRepeatArtist})"), 8));
            }
            if (c.TempoMinBpm is not null || c.TempoMaxBpm is not null)
            {
                double lo = c.TempoMinBpm ?? 0, hi = c.TempoMaxBpm ?? double.MaxValue;
                if (d?.TempoBpm is not { } bpm || bpm < lo || bpm > hi)
                    list.Add(("tempo", d?.TempoBpm is { } b ? Invariant($"{b:0} BPM is outside {lo:0}–{hi:0}") : "no tempo measured", 4));
            }
            if (c.Energy is { } trend && p is not null && d is not null)
            {
                double delta = d.Energy - p.Energy;
                bool ok = trend switch
                {
                    EnergyTrend.Rising => delta >= -PlaylistConstraints.EnergyTolerance,
                    EnergyTrend.Falling => delta <= PlaylistConstraints.EnergyTolerance,
                    _ => Math.Abs(delta) <= PlaylistConstraints.SteadyEnergyBand,
                };
                if (!ok) list.Add(("energy", Invariant($"energy {p.Energy:0.00} → {d.Energy:0.00} is not {trend.ToString().ToLowerInvariant()}"), 2));
            }
            if (c.KeyCompatible && p?.CamelotCode is { } pk)
            {
                if (d?.CamelotCode is not { } k || !DescriptorSimilarity.KeysCompatible(pk, k))
                    list.Add(("key-compatible", $"{pk} → {d?.CamelotCode ?? "no key"} is not a Camelot neighbour", 1));
            }
            return list;
        }

        public PlaylistResult Result(string mode) =>
            new(mode, engine._space.Name, engine._space.Description, Entries, GaveWay, Notes);
    }
}
