namespace Earworm.Learning.Text;

/// <summary>
/// Term weights over a corpus (Sparck Jones 1972; Salton &amp; Buckley 1988): a term's weight in a document is
/// (1 + ln tf) · idf with the smoothed idf = 1 + ln((1 + N) / (1 + df)) over the N documents, df of them holding the
/// term — so a word every document says weighs little and one only a few say weighs much, and a term said ten times
/// counts about three times one said once, not ten.
/// </summary>
public sealed class TfIdf
{
    private readonly Dictionary<string, double> _idf;

    private TfIdf(Dictionary<string, double> idf, int documents)
    {
        _idf = idf;
        Documents = documents;
    }

    public int Documents { get; }

    /// <summary>Every term of the corpus with its idf.</summary>
    public IReadOnlyDictionary<string, double> Idf => _idf;

    /// <summary>The idf of <paramref name="term"/>; 0 for a term the corpus never had.</summary>
    public double IdfOf(string term) => _idf.GetValueOrDefault(term);

    /// <param name="documents">Each document's term counts (or any strengths &gt; 0: a tag's share).</param>
    public static TfIdf Fit(IEnumerable<IReadOnlyDictionary<string, double>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        int n = 0;
        foreach (var d in documents)
        {
            n++;
            foreach (var (term, count) in d)
                if (count > 0) df[term] = df.GetValueOrDefault(term) + 1;
        }
        return new TfIdf(df.ToDictionary(kv => kv.Key, kv => 1 + Math.Log((1.0 + n) / (1.0 + kv.Value)), StringComparer.Ordinal), n);
    }

    /// <summary>(1 + ln tf)·idf of a count ≥ 1; a strength below 1 (a tag's share) is used as it is, times idf.</summary>
    public double Weight(string term, double count) => (count >= 1 ? 1 + Math.Log(count) : Math.Max(count, 0)) * IdfOf(term);

    /// <summary>A document's terms by weight, best first (ties by term), at most <paramref name="count"/>.</summary>
    public IReadOnlyList<(string Term, double Weight)> Top(IReadOnlyDictionary<string, double> document, int count)
    {
        ArgumentNullException.ThrowIfNull(document);
        return [.. document.Select(kv => (kv.Key, Weight(kv.Key, kv.Value))).Where(x => x.Item2 > 0)
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).Take(count)];
    }
}
