using Earworm.Learning.Numerics;

namespace Earworm.Recommend;

/// <summary>How an index compares vectors.</summary>
public enum Metric
{
    /// <summary>Cosine similarity (vectors are unit-normalised on the way in); higher is closer.</summary>
    Cosine,
    /// <summary>Euclidean distance; the score is the negated distance, so higher is closer too.</summary>
    Euclidean,
}

/// <summary>A neighbour: its key in the index and its score (higher is closer).</summary>
public readonly record struct Neighbour(long Key, float Score);

/// <summary>
/// Exact nearest-neighbour search over a few hundred thousand vectors: one contiguous float array,
/// the SIMD kernels of <see cref="Simd"/> per row, a bounded heap for the top k. Immutable once built,
/// so safe to query from many threads.
/// </summary>
public sealed class ExactIndex : IVectorIndex
{
    private readonly float[] _data;
    private readonly long[] _keys;

    public ExactIndex(IReadOnlyList<(long Key, float[] Vector)> rows, Metric metric)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Metric = metric;
        Dimension = rows.Count > 0 ? rows[0].Vector.Length : 0;
        _data = new float[rows.Count * Dimension];
        _keys = new long[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var v = rows[i].Vector;
            if (v.Length != Dimension) throw new ArgumentException($"row {i} has {v.Length} dimensions, expected {Dimension}", nameof(rows));
            v.CopyTo(_data, i * Dimension);
            if (metric == Metric.Cosine) VectorNorm.Normalise(_data.AsSpan(i * Dimension, Dimension));
            _keys[i] = rows[i].Key;
        }
    }

    /// <summary>An index over a space's rows.</summary>
    public ExactIndex(Spaces.VectorSpace space) : this((space ?? throw new ArgumentNullException(nameof(space))).Rows(), space.Metric)
    {
    }

    public Metric Metric { get; }
    public int Dimension { get; }
    public int Count => _keys.Length;

    /// <summary>The <paramref name="k"/> rows closest to <paramref name="query"/>, best first, skipping those <paramref name="exclude"/> rejects.</summary>
    public IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, Func<long, bool>? exclude = null)
    {
        if (query.Length != Dimension) throw new ArgumentException($"query has {query.Length} dimensions, expected {Dimension}", nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k == 0) return [];
        var q = query.ToArray();
        bool cosine = Metric == Metric.Cosine;
        if (cosine) VectorNorm.Normalise(q);
        // Rank by the dot product or the negated squared distance (the root is taken for the k kept only); the exclusion
        // is asked only of rows that would enter the top k, so a costly filter runs a few dozen times, not once per row.
        var heap = new PriorityQueue<Neighbour, float>(k + 1); // min-heap on rank: the worst of the best at the top
        float threshold = float.NegativeInfinity;
        for (int i = 0; i < _keys.Length; i++)
        {
            var row = _data.AsSpan(i * Dimension, Dimension);
            float rank = cosine ? Simd.Dot(q, row) : -Simd.SquaredDistance(q, row);
            if (heap.Count == k && rank <= threshold) continue;
            if (exclude is not null && exclude(_keys[i])) continue;
            if (heap.Count < k) heap.Enqueue(new Neighbour(_keys[i], rank), rank);
            else heap.EnqueueDequeue(new Neighbour(_keys[i], rank), rank);
            if (heap.Count == k) threshold = heap.Peek().Score;
        }
        var result = new Neighbour[heap.Count];
        for (int i = result.Length - 1; i >= 0; i--)
        {
            var n = heap.Dequeue();
            result[i] = cosine ? n : n with { Score = -MathF.Sqrt(-n.Score) };
        }
        return result;
    }
}
