namespace Earworm.Learning.Embeddings;

/// <summary>
/// Item counts over the corpus, which items get a vector (count ≥ MinCount), each kept item's
/// subsampling threshold as gensim computes it, and the negative-sampling distribution count^0.75.
/// </summary>
internal sealed class SkipGramVocabulary
{
    public SkipGramVocabulary(ReadOnlySpan<int> tokens, int itemCount, Track2VecOptions options)
    {
        Counts = new long[itemCount];
        foreach (var t in tokens) Counts[t]++;
        KeepThreshold = new uint[itemCount];
        var ids = new List<int>();
        var weights = new List<double>();
        for (int i = 0; i < itemCount; i++)
        {
            if (Counts[i] < options.MinCount) continue;
            ids.Add(i);
            weights.Add(Math.Pow(Counts[i], options.NegativeExponent));
            RetainedWords += Counts[i];
        }
        Size = ids.Count;
        // gensim Word2Vec.prepare_vocab: threshold_count = sample · retained words;
        // P(keep) = (√(v / threshold_count) + 1) · threshold_count / v, capped at 1, stored as a uint32 fraction
        double thresholdCount = options.Sample * RetainedWords;
        foreach (var i in ids)
        {
            double p = options.Sample > 0 ? (Math.Sqrt(Counts[i] / thresholdCount) + 1) * (thresholdCount / Counts[i]) : 1;
            KeepThreshold[i] = Math.Max(1u, (uint)(Math.Min(1.0, p) * uint.MaxValue));
        }
        Negatives = Size > 0 ? new AliasSampler(ids.ToArray(), weights.ToArray()) : null;
    }

    /// <summary>Occurrences of every item id in the corpus.</summary>
    public long[] Counts { get; }

    /// <summary>Per item id: 0 when the item has no vector, else P(keep)·(2³² − 1); an occurrence is dropped when a uniform uint32 exceeds it.</summary>
    public uint[] KeepThreshold { get; }

    /// <summary>Number of items with a vector.</summary>
    public int Size { get; }

    /// <summary>Occurrences of the items with a vector.</summary>
    public long RetainedWords { get; }

    /// <summary>Draws negatives ∝ count^NegativeExponent; null when the vocabulary is empty.</summary>
    public AliasSampler? Negatives { get; }

    public bool Contains(int item) => KeepThreshold[item] != 0;
}
