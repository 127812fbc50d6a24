using Earworm.Learning.Numerics;

namespace Earworm.Learning.Sequences;

/// <summary>
/// Item vectors from the sequences alone: how often two played items lie within <c>window</c> places of each other,
/// turned into positive pointwise mutual information with the context distribution smoothed by the power 0.75, and
/// factored by a truncated SVD, each item's vector U·√S (Levy &amp; Goldberg 2014, "Neural word embedding as implicit
/// matrix factorization"; Levy, Goldberg &amp; Dagan 2015). What word2vec-style track vectors learn, in closed form; the
/// next-item networks start their embeddings here, so that an item met in one sequence starts beside the items it
/// was played with rather than at random.
/// </summary>
public static class CooccurrenceEmbedding
{
    /// <summary>Row-major vectors, <paramref name="itemCount"/> × <paramref name="dimensions"/>, scaled so that their mean
    /// squared norm is 1; an item that co-occurs with none has a zero row and <c>has[item]</c> false. Fewer dimensions
    /// than asked are filled with zeros (a catalogue too small for them).</summary>
    public static float[] Compute(IReadOnlyList<Sequence> sequences, int itemCount, int dimensions, int window, int seed, out bool[] has)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        var pairs = new Dictionary<long, double>();
        foreach (var s in sequences)
        {
            var played = s.Played();
            for (int i = 0; i < played.Length; i++)
                for (int j = i + 1; j < Math.Min(played.Length, i + window + 1); j++)
                {
                    int a = played[i], b = played[j];
                    if (a == b) continue;
                    if ((uint)a >= (uint)itemCount || (uint)b >= (uint)itemCount)
                        throw new ArgumentOutOfRangeException(nameof(sequences), $"item outside 0..{itemCount - 1}");
                    Add(pairs, a, b, itemCount);
                    Add(pairs, b, a, itemCount);
                }
        }
        var rowSum = new double[itemCount];
        foreach (var (key, c) in pairs) rowSum[key / itemCount] += c;
        double total = rowSum.Sum();
        var context = rowSum.Select(c => Math.Pow(c, 0.75)).ToArray();
        double contextTotal = context.Sum();
        var rows = new List<(int, double)>[itemCount];
        for (int i = 0; i < itemCount; i++) rows[i] = [];
        foreach (var (key, c) in pairs)
        {
            int a = (int)(key / itemCount), b = (int)(key % itemCount);
            // PMI = log P(a, b) / (P(a) · P_0.75(b))
            double pmi = Math.Log(c * contextTotal / (rowSum[a] * context[b]));
            if (pmi > 0) rows[a].Add((b, pmi));
        }
        foreach (var r in rows) r.Sort((x, y) => x.Item1.CompareTo(y.Item1));
        var vectors = new float[(long)itemCount * dimensions];
        has = new bool[itemCount];
        if (total == 0) return vectors;
        var svd = TruncatedSvd.Compute(SparseRows.FromRows(itemCount, rows), dimensions, seed);
        double squares = 0;
        int count = 0;
        for (int i = 0; i < itemCount; i++)
        {
            var row = svd.Rank == 0 ? default : svd.Row(i);
            double norm = 0;
            for (int k = 0; k < svd.Rank; k++)
            {
                double v = row[k] / Math.Sqrt(svd.SingularValues[k]);   // U·S / √S = U·√S
                vectors[(long)i * dimensions + k] = (float)v;
                norm += v * v;
            }
            if (norm > 0)
            {
                has[i] = true;
                squares += norm;
                count++;
            }
        }
        if (count > 0)
        {
            float scale = (float)(1 / Math.Sqrt(squares / count));
            for (long x = 0; x < vectors.LongLength; x++) vectors[x] *= scale;
        }
        return vectors;
    }

    private static void Add(Dictionary<long, double> pairs, int a, int b, int itemCount)
    {
        long key = (long)a * itemCount + b;
        pairs[key] = pairs.GetValueOrDefault(key) + 1;
    }
}
