namespace Earworm.Learning;

/// <summary>
/// Re-weightings of an interaction matrix from text retrieval, as benfred/implicit's
/// <c>bm25_weight</c> and <c>tfidf_weight</c>: rows are the "documents", columns the "terms".
/// </summary>
/// <remarks>
/// implicit applies them to the items × users matrix before ALS (its Last.fm example:
/// <c>bm25_weight(artist_user_plays, K1=100, B=0.8)</c>), so for Earworm's users × items matrix write
/// <c>InteractionWeighting.Bm25(userItems.Transpose()).Transpose()</c>. A column present in every
/// row gets idf log(N) − log(1 + N) &lt; 0, and the matrix drops weights ≤ 0, so such entries vanish.
/// </remarks>
public static class InteractionWeighting
{
    /// <summary>
    /// Okapi BM25: w = r·(K1 + 1) / (K1·((1 − B) + B·|row|/avg|row|) + r) · idf(column), with
    /// |row| the row's sum of weights and idf(column) = log(rows) − log(1 + rows containing the column).
    /// </summary>
    /// <param name="k1">term-frequency saturation; ≥ 0. Default 100 (implicit's <c>bm25_weight</c>).</param>
    /// <param name="b">length normalisation in 0..1. Default 0.8.</param>
    public static InteractionMatrix Bm25(InteractionMatrix matrix, float k1 = 100f, float b = 0.8f)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!float.IsFinite(k1) || k1 < 0) throw new ArgumentOutOfRangeException(nameof(k1), k1, "K1 must be finite and ≥ 0");
        if (!(b >= 0 && b <= 1)) throw new ArgumentOutOfRangeException(nameof(b), b, "B must be in 0..1");
        var idf = InverseDocumentFrequency(matrix);
        var rowSums = new double[matrix.Rows];
        for (int r = 0; r < matrix.Rows; r++)
            foreach (var v in matrix.RowValues(r)) rowSums[r] += v;
        double average = matrix.Rows == 0 ? 0 : rowSums.Sum() / matrix.Rows;
        return Reweight(matrix, (r, c, v) =>
        {
            double lengthNorm = (1 - b) + (average > 0 ? b * rowSums[r] / average : 0);
            return (float)(v * (k1 + 1) / (k1 * lengthNorm + v) * idf[c]);
        });
    }

    /// <summary>TF-IDF as implicit's <c>tfidf_weight</c>: w = √r · idf(column), idf as in <see cref="Bm25"/>.</summary>
    public static InteractionMatrix TfIdf(InteractionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var idf = InverseDocumentFrequency(matrix);
        return Reweight(matrix, (_, c, v) => (float)(Math.Sqrt(v) * idf[c]));
    }

    /// <summary>Each row scaled to unit Euclidean norm (cosine similarity of rows is then their dot product).</summary>
    public static InteractionMatrix NormalizeRows(InteractionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var norms = new double[matrix.Rows];
        for (int r = 0; r < matrix.Rows; r++)
        {
            double s = 0;
            foreach (var v in matrix.RowValues(r)) s += (double)v * v;
            norms[r] = Math.Sqrt(s);
        }
        return Reweight(matrix, (r, _, v) => (float)(v / norms[r]));
    }

    /// <summary>log(rows) − log(1 + number of rows containing the column), per column.</summary>
    internal static double[] InverseDocumentFrequency(InteractionMatrix matrix)
    {
        var df = new int[matrix.Columns];
        for (int r = 0; r < matrix.Rows; r++)
            foreach (var c in matrix.RowIndices(r)) df[c]++;
        var idf = new double[matrix.Columns];
        double logN = Math.Log(matrix.Rows);
        for (int c = 0; c < idf.Length; c++) idf[c] = logN - Math.Log(1 + df[c]);
        return idf;
    }

    private static InteractionMatrix Reweight(InteractionMatrix matrix, Func<int, int, float, float> weight) =>
        InteractionMatrix.FromInteractions(
            matrix.Entries().Select(x => x with { Count = weight(x.User, x.Item, x.Count) }).ToList(), matrix.Rows, matrix.Columns);
}
