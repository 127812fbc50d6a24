using Earworm.Learning.Numerics;

namespace Earworm.Recommend;

/// <summary>How an <see cref="HnswIndex"/> is built and searched.</summary>
/// <param name="M">Links per node on the upper layers (layer 0 keeps 2·M). More links: better recall, more memory,
/// slower build. 16 suits 32–128 dimensions.</param>
/// <param name="EfConstruction">Candidates kept while linking a new node (build quality).</param>
/// <param name="EfSearch">Candidates kept while searching (at least the k asked for): the recall/speed knob.</param>
/// <param name="Seed">Seeds the random layer assignment, so a build is reproducible.</param>
public sealed record HnswOptions(int M = 16, int EfConstruction = 100, int EfSearch = 64, int Seed = 42)
{
    public HnswOptions Validate()
    {
        if (M is < 2 or > 128) throw new ArgumentOutOfRangeException(nameof(M), M, "M must be between 2 and 128");
        if (EfConstruction < 1) throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, "must be at least 1");
        if (EfSearch < 1) throw new ArgumentOutOfRangeException(nameof(EfSearch), EfSearch, "must be at least 1");
        return this;
    }
}

/// <summary>
/// Approximate nearest-neighbour search by a hierarchical navigable small-world graph (Malkov &amp; Yashunin 2018,
/// "Efficient and robust approximate nearest neighbor search using Hierarchical Navigable Small World graphs",
/// IEEE TPAMI): each node gets a random top layer (exponentially rarer upwards, mL = 1/ln M); a search descends
/// greedily from the top layer's entry point and runs a best-first beam of width ef on layer 0. Links are chosen by
/// the paper's neighbour-selection heuristic (algorithm 4), which keeps links towards distinct clusters and is what
/// holds recall on clustered data. Cosine spaces are unit-normalised on the way in and compared by 1 − dot.
/// </summary>
/// <remarks>Built once, single-threaded and deterministic for a seed; immutable after, and safe to query from many
/// threads (each query borrows a visited-set from a pool). <see cref="HnswFile"/> saves and loads it.</remarks>
public sealed partial class HnswIndex : IVectorIndex
{
    private readonly float[] _data;
    private readonly long[] _keys;
    private readonly int[] _levels;
    private readonly int[] _links0;        // node i: [count, id₀ … id_{M0−1}] at i·(M0+1)
    private readonly int[]?[] _upper;      // node i: levels 1..L as consecutive blocks of (M+1), null when L = 0
    // Visited sets lent to searches: a few slots taken and returned with one interlocked exchange each. (A ConcurrentBag
    // did this before; searches on the thread pool take on one thread and return on another, and its stealing locks were
    // 7 % of a cluster silo's CPU at 1 M tracks.)
    private readonly Visited?[] _visitedPool = new Visited?[Math.Max(4, 2 * Environment.ProcessorCount)];
    private int _entry = -1;
    private int _maxLevel = -1;

    public HnswIndex(IReadOnlyList<(long Key, float[] Vector)> rows, Metric metric, HnswOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Options = (options ?? new HnswOptions()).Validate();
        Metric = metric;
        Dimension = rows.Count > 0 ? rows[0].Vector.Length : 0;
        int n = rows.Count;
        _data = new float[n * Dimension];
        _keys = new long[n];
        _levels = new int[n];
        _links0 = new int[n * (M0 + 1)];
        _upper = new int[n][];
        var random = new Random(Options.Seed);
        double mL = 1 / Math.Log(Options.M);
        for (int i = 0; i < n; i++)
        {
            var v = rows[i].Vector;
            if (v.Length != Dimension) throw new ArgumentException($"row {i} has {v.Length} dimensions, expected {Dimension}", nameof(rows));
            v.CopyTo(_data, i * Dimension);
            if (metric == Metric.Cosine) VectorNorm.Normalise(_data.AsSpan(i * Dimension, Dimension));
            _keys[i] = rows[i].Key;
            _levels[i] = Math.Min(32, (int)(-Math.Log(1 - random.NextDouble()) * mL));
            if (_levels[i] > 0) _upper[i] = new int[_levels[i] * (Options.M + 1)];
        }
        var visited = new Visited(n);
        for (int i = 0; i < n; i++) Insert(i, visited);
    }

    public HnswOptions Options { get; }
    public Metric Metric { get; }
    public int Dimension { get; }
    public int Count => _keys.Length;

    private int M0 => 2 * Options.M;

    /// <summary>The memory the graph and vectors take, in bytes (arrays only).</summary>
    public long SizeBytes => _data.LongLength * 4 + _keys.LongLength * 8 + _levels.LongLength * 4 + _links0.LongLength * 4
                             + _upper.Sum(u => u is null ? 0L : u.LongLength * 4 + 24) + _upper.LongLength * 8;

    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, Func<long, bool>? exclude = null) =>
        Nearest(query, k, Options.EfSearch, exclude);

    /// <summary>As <see cref="Nearest(ReadOnlySpan{float}, int, Func{long, bool}?)"/> with an explicit beam width.
    /// When exclusions leave fewer than k, the beam widens (doubling) until k are found or the graph is spent.</summary>
    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, int efSearch, Func<long, bool>? exclude = null)
    {
        if (query.Length != Dimension) throw new ArgumentException($"query has {query.Length} dimensions, expected {Dimension}", nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k == 0 || Count == 0) return [];
        var q = query.ToArray();
        if (Metric == Metric.Cosine) VectorNorm.Normalise(q);
        var visited = TakeVisited();
        try
        {
            int entry = _entry;
            float entryDistance = Distance(q, entry);
            for (int level = _maxLevel; level > 0; level--) (entry, entryDistance) = Greedy(q, entry, entryDistance, level);
            for (int ef = Math.Max(efSearch, k); ; ef = Math.Min(Count, ef * 2))
            {
                var found = SearchLayer(q, entry, entryDistance, ef, 0, visited);
                var result = new List<Neighbour>(k);
                foreach (var (node, d) in found.OrderBy(f => f.Distance).ThenBy(f => f.Node))
                {
                    if (exclude is not null && exclude(_keys[node])) continue;
                    result.Add(new Neighbour(_keys[node], Score(d)));
                    if (result.Count == k) break;
                }
                if (result.Count == k || ef >= Count) return result;
            }
        }
        finally
        {
            ReturnVisited(visited);
        }
    }

    private Visited TakeVisited()
    {
        for (int i = 0; i < _visitedPool.Length; i++)
            if (Volatile.Read(ref _visitedPool[i]) is not null && Interlocked.Exchange(ref _visitedPool[i], null) is { } v) return v;
        return new Visited(Count);
    }

    private void ReturnVisited(Visited visited)
    {
        for (int i = 0; i < _visitedPool.Length; i++)
            if (Volatile.Read(ref _visitedPool[i]) is null && Interlocked.CompareExchange(ref _visitedPool[i], visited, null) is null) return;
        // every slot full: this one is left to the collector
    }

    private float Score(float distance) => Metric == Metric.Cosine ? 1 - distance : -MathF.Sqrt(Math.Max(0, distance));

    private float Distance(ReadOnlySpan<float> q, int node)
    {
        var row = _data.AsSpan(node * Dimension, Dimension);
        return Metric == Metric.Cosine ? 1 - Simd.Dot(q, row) : Simd.SquaredDistance(q, row);
    }

    private float Distance(int a, int b) => Distance(_data.AsSpan(a * Dimension, Dimension), b);

    private Span<int> Links(int node, int level) => level == 0
        ? _links0.AsSpan(node * (M0 + 1), M0 + 1)
        : _upper[node].AsSpan((level - 1) * (Options.M + 1), Options.M + 1);

    private void Insert(int node, Visited visited)
    {
        if (_entry < 0)
        {
            _entry = node;
            _maxLevel = _levels[node];
            return;
        }
        var q = _data.AsSpan(node * Dimension, Dimension).ToArray();
        int level = _levels[node];
        int entry = _entry;
        float entryDistance = Distance(q, entry);
        for (int l = _maxLevel; l > level; l--) (entry, entryDistance) = Greedy(q, entry, entryDistance, l);
        for (int l = Math.Min(level, _maxLevel); l >= 0; l--)
        {
            var candidates = SearchLayer(q, entry, entryDistance, Options.EfConstruction, l, visited);
            int max = l == 0 ? M0 : Options.M;
            var chosen = SelectNeighbours(candidates, Options.M);
            var own = Links(node, l);
            own[0] = chosen.Count;
            for (int j = 0; j < chosen.Count; j++) own[1 + j] = chosen[j].Node;
            foreach (var (other, d) in chosen) Connect(other, node, d, l, max);
            var best = candidates.MinBy(c => c.Distance);
            (entry, entryDistance) = (best.Node, best.Distance);
        }
        if (level > _maxLevel)
        {
            _maxLevel = level;
            _entry = node;
        }
    }

    /// <summary>Adds <paramref name="node"/> to <paramref name="other"/>'s links; when full, re-selects them by the heuristic.</summary>
    private void Connect(int other, int node, float distance, int level, int max)
    {
        var links = Links(other, level);
        int count = links[0];
        if (count < max)
        {
            links[1 + count] = node;
            links[0] = count + 1;
            return;
        }
        var pool = new List<(int Node, float Distance)>(count + 1) { (node, distance) };
        for (int j = 0; j < count; j++) pool.Add((links[1 + j], Distance(other, links[1 + j])));
        var kept = SelectNeighbours(pool, max);
        links[0] = kept.Count;
        for (int j = 0; j < kept.Count; j++) links[1 + j] = kept[j].Node;
    }

    /// <summary>Algorithm 4 of the paper: take candidates nearest first, keep one only when it is closer to the base
    /// than to every one already kept (so the links fan out towards different regions).</summary>
    private List<(int Node, float Distance)> SelectNeighbours(List<(int Node, float Distance)> candidates, int m)
    {
        var kept = new List<(int Node, float Distance)>(m);
        if (candidates.Count <= m)
        {
            kept.AddRange(candidates);
            return kept;
        }
        candidates.Sort((a, b) => a.Distance.CompareTo(b.Distance));
        foreach (var c in candidates)
        {
            bool good = true;
            foreach (var r in kept)
                if (Distance(c.Node, r.Node) < c.Distance) { good = false; break; }
            if (good) kept.Add(c);
            if (kept.Count == m) break;
        }
        return kept;
    }

    private (int Node, float Distance) Greedy(ReadOnlySpan<float> q, int entry, float entryDistance, int level)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            var links = Links(entry, level);
            for (int j = 1; j <= links[0]; j++)
            {
                float d = Distance(q, links[j]);
                if (d < entryDistance)
                {
                    (entry, entryDistance) = (links[j], d);
                    changed = true;
                }
            }
        }
        return (entry, entryDistance);
    }

    /// <summary>Algorithm 2: best-first search of one layer keeping the ef nearest found.</summary>
    private List<(int Node, float Distance)> SearchLayer(ReadOnlySpan<float> q, int entry, float entryDistance, int ef, int level, Visited visited)
    {
        visited.Next();
        visited.Mark(entry);
        var candidates = new PriorityQueue<int, float>();          // nearest first
        var found = new PriorityQueue<int, float>(ef + 1);         // farthest first (negated)
        candidates.Enqueue(entry, entryDistance);
        found.Enqueue(entry, -entryDistance);
        float farthest = entryDistance;
        while (candidates.TryDequeue(out int c, out float dc))
        {
            if (dc > farthest && found.Count >= ef) break;
            var links = Links(c, level);
            for (int j = 1; j <= links[0]; j++)
            {
                int e = links[j];
                if (!visited.Mark(e)) continue;
                float d = Distance(q, e);
                if (found.Count < ef || d < farthest)
                {
                    candidates.Enqueue(e, d);
                    found.Enqueue(e, -d);
                    if (found.Count > ef) found.Dequeue();
                    found.TryPeek(out _, out float negFarthest);
                    farthest = -negFarthest;
                }
            }
        }
        var list = new List<(int, float)>(found.Count);
        while (found.TryDequeue(out int node, out float negD)) list.Add((node, -negD));
        return list;
    }

    /// <summary>A visited set cleared in O(1) per search by a generation stamp.</summary>
    private sealed class Visited(int n)
    {
        private readonly int[] _stamp = new int[n];
        private int _generation;

        public void Next()
        {
            if (++_generation == int.MaxValue)
            {
                Array.Clear(_stamp);
                _generation = 1;
            }
        }

        /// <summary>Marks a node; false when it was already marked in this search.</summary>
        public bool Mark(int node)
        {
            if (_stamp[node] == _generation) return false;
            _stamp[node] = _generation;
            return true;
        }
    }
}
