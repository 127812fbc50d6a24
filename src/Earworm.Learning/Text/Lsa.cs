using Earworm.Learning.Numerics;

namespace Earworm.Learning.Text;

/// <summary>
/// Latent semantic analysis (Deerwester, Dumais, Furnas, Landauer &amp; Harshman 1990): documents as TF-IDF rows
/// (<see cref="TfIdf"/>), each of unit length, decomposed by a truncated SVD (<see cref="TruncatedSvd"/>) into a few
/// dimensions where documents that use related words are close even when they share none. A document's vector is its
/// row times V (= U·Σ); a term's is what a document of that one term would get (its row of V), so a word
/// can be compared with documents in the same space.
/// </summary>
public sealed class Lsa
{
    private readonly Dictionary<string, int> _column;
    private readonly SvdResult _svd;

    private Lsa(TfIdf weights, IReadOnlyList<string> terms, SvdResult svd)
    {
        Weights = weights;
        Terms = terms;
        _svd = svd;
        _column = terms.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>The dimensions kept (at most the rank asked for; fewer for a small corpus).</summary>
    public int Dimension => _svd.Rank;

    public TfIdf Weights { get; }

    /// <summary>The terms, by column.</summary>
    public IReadOnlyList<string> Terms { get; }

    public IReadOnlyList<double> SingularValues => _svd.SingularValues;

    /// <summary>Document <paramref name="i"/>'s vector (in the order given to <see cref="Fit"/>).</summary>
    public float[] Document(int i) => Array.ConvertAll(_svd.Row(i).ToArray(), x => (float)x);

    /// <summary>A term's vector (what a document of that one word folds to: its row of V), or null for a term the
    /// corpus never had.</summary>
    public float[]? Term(string term) => _column.TryGetValue(term, out int j) ? Array.ConvertAll(_svd.Column(j).ToArray(), x => (float)x) : null;

    /// <summary>A new document folded into the space (its unit TF-IDF row times V); terms the corpus never had count
    /// for nothing.</summary>
    public float[] Fold(IReadOnlyDictionary<string, double> document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var v = new double[Dimension];
        var row = Row(document).ToList();
        foreach (var (j, w) in row)
        {
            var col = _svd.Column(j);
            for (int c = 0; c < v.Length; c++) v[c] += w * col[c];
        }
        return Array.ConvertAll(v, x => (float)x);
    }

    /// <param name="documents">Each document's term counts (or strengths: a tag's share), in the order vectors are wanted.</param>
    /// <param name="rank">Dimensions wanted (LSA's usual 100–300 for large corpora; fewer here for a library's texts).</param>
    public static Lsa Fit(IReadOnlyList<IReadOnlyDictionary<string, double>> documents, int rank, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        var weights = TfIdf.Fit(documents);
        var terms = weights.Idf.Keys.Order(StringComparer.Ordinal).ToList();
        var lsa = new Lsa(weights, terms, new SvdResult(0, [], [], []));
        var rows = documents.Select(d => lsa.Row(d).ToList()).ToList();
        var svd = TruncatedSvd.Compute(SparseRows.FromRows(terms.Count, rows.Select(r => r.AsEnumerable()).ToList()), rank, seed);
        return new Lsa(weights, terms, svd);
    }

    /// <summary>A document's unit-length TF-IDF row, over the known terms.</summary>
    private IEnumerable<(int Column, double Value)> Row(IReadOnlyDictionary<string, double> document)
    {
        var row = document.Where(kv => _column.ContainsKey(kv.Key)).Select(kv => (Column: _column[kv.Key], Value: Weights.Weight(kv.Key, kv.Value)))
            .Where(x => x.Value > 0).ToList();
        double norm = Math.Sqrt(row.Sum(x => x.Value * x.Value));
        return norm > 0 ? row.Select(x => (x.Column, x.Value / norm)) : [];
    }
}
