using Earworm.Learning.Numerics;

namespace Earworm.Learning.Embeddings;

/// <summary>
/// Draws ids in proportion to given weights in O(1) per draw by Walker's alias method (Vose's
/// construction): one uniform bucket, one comparison. Replaces word2vec.c's 10⁸-entry unigram
/// table and gensim's binary search of a cumulative table with two arrays of the vocabulary's size.
/// </summary>
internal sealed class AliasSampler
{
    // one 12-byte entry per bucket, so a draw touches one cache line
    private readonly record struct Bucket(uint Threshold, int Id, int Alias);

    private readonly Bucket[] _buckets;

    /// <param name="ids">the ids that can be drawn.</param>
    /// <param name="weights">their non-negative weights, not all zero.</param>
    public AliasSampler(ReadOnlySpan<int> ids, ReadOnlySpan<double> weights)
    {
        int n = ids.Length;
        if (n == 0 || weights.Length != n) throw new ArgumentException("need one weight per id and at least one id.");
        double total = 0;
        foreach (var w in weights)
        {
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"weights must be finite and ≥ 0, got {w}.");
            total += w;
        }
        if (!(total > 0)) throw new ArgumentException("weights must not all be zero.");
        var id = ids.ToArray();
        var alias = new int[n];       // the id taken when the draw falls above the threshold
        var threshold = new uint[n];  // P(own id | bucket) · 2³²
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = n - 1; i >= 0; i--)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            threshold[s] = ToThreshold(scaled[s]);
            alias[s] = id[l];
            scaled[l] -= 1 - scaled[s];
            (scaled[l] < 1 ? small : large).Push(l);
        }
        // what is left is 1 up to rounding
        foreach (var i in large.Concat(small))
        {
            threshold[i] = uint.MaxValue;
            alias[i] = id[i];
        }
        _buckets = new Bucket[n];
        for (int i = 0; i < n; i++) _buckets[i] = new Bucket(threshold[i], id[i], alias[i]);
    }

    public int Count => _buckets.Length;

    public int Sample(ref FastRandom rng)
    {
        ulong r = rng.NextUInt64();
        var b = _buckets[(int)((r >> 32) * (ulong)(uint)_buckets.Length >> 32)];
        return (uint)r < b.Threshold ? b.Id : b.Alias;
    }

    private static uint ToThreshold(double p) => p >= 1 ? uint.MaxValue : (uint)(p * 4294967296.0);
}
