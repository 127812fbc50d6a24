using Earworm.Learning.Numerics;

namespace Earworm.Learning.Projection;

/// <summary>
/// How well a space keeps what people group music by: for every track with a label (its soundtrack, its composer),
/// the share of its k nearest neighbours — among the other labelled tracks — that carry the same label
/// (precision at k of label retrieval), averaged over the tracks. Tracks without a label take no part, as queries or
/// as neighbours. <see cref="Expected"/> is the same figure for neighbours drawn at random.
/// </summary>
public static class NeighbourLabels
{
    /// <summary>The mean share of same-label tracks among each labelled track's neighbours.</summary>
    /// <param name="neighbours">For track i, the others nearest first (any length; the first <paramref name="k"/>
    /// labelled ones count).</param>
    /// <param name="labels">Track i's label; null or empty: unlabelled.</param>
    /// <returns>NaN when fewer than two tracks are labelled.</returns>
    public static double Precision(IReadOnlyList<IReadOnlyList<int>> neighbours, IReadOnlyList<string?> labels, int k)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (neighbours.Count != labels.Count) throw new ArgumentException($"{neighbours.Count} neighbour lists for {labels.Count} labels");
        double sum = 0;
        int queries = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            if (string.IsNullOrEmpty(labels[i])) continue;
            int seen = 0, same = 0;
            foreach (int j in neighbours[i])
            {
                if (j == i || string.IsNullOrEmpty(labels[j])) continue;
                if (labels[j] == labels[i]) same++;
                if (++seen == k) break;
            }
            if (seen == 0) continue;
            sum += (double)same / seen;
            queries++;
        }
        return queries == 0 ? double.NaN : sum / queries;
    }

    /// <summary>The expected <see cref="Precision"/> of random neighbours: for each labelled track, the share of the
    /// other labelled tracks that share its label.</summary>
    public static double Expected(IReadOnlyList<string?> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var known = labels.Where(l => !string.IsNullOrEmpty(l)).ToList();
        if (known.Count < 2) return double.NaN;
        var counts = known.GroupBy(l => l).ToDictionary(g => g.Key!, g => g.Count());
        return known.Average(l => (counts[l!] - 1) / (double)(known.Count - 1));
    }

    /// <summary>Each row's nearest other rows by cosine (rows need not be unit length), nearest first, at most
    /// <paramref name="count"/>; ties by index.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> CosineNeighbours(IReadOnlyList<float[]> rows, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var unit = rows.Select(Unit).ToArray();
        var result = new IReadOnlyList<int>[rows.Count];
        var score = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < rows.Count; j++) score[j] = j == i ? double.NegativeInfinity : Simd.Dot(unit[i], unit[j]);
            int row = i;
            result[i] = Enumerable.Range(0, rows.Count).Where(j => j != row)
                .OrderByDescending(j => score[j]).ThenBy(j => j).Take(count).ToList();
        }
        return result;
    }

    private static float[] Unit(float[] v)
    {
        double n = Math.Sqrt(Simd.Dot(v, v));
        return n > 0 ? v.Select(x => (float)(x / n)).ToArray() : (float[])v.Clone();
    }
}
