namespace Earworm.Learning.Neighbours;

/// <summary>How item-kNN weighs co-occurrences.</summary>
public enum ItemSimilarity
{
    /// <summary>Cosine of the items' columns of counts (implicit's <c>CosineRecommender</c>).</summary>
    Cosine,

    /// <summary>
    /// Dot product of the items' BM25-weighted user vectors, items as documents and users as terms
    /// (implicit's <c>BM25Recommender</c>): rare users and short item histories count for more.
    /// </summary>
    Bm25,
}

/// <summary>Hyper-parameters of item-based nearest neighbours. Defaults are benfred/implicit's.</summary>
public sealed record ItemKnnOptions
{
    public static ItemKnnOptions Default { get; } = new();

    /// <summary>Neighbours kept per item; ≥ 1. Default 20.</summary>
    public int Neighbours { get; init; } = 20;

    /// <summary>Similarity. Default <see cref="ItemSimilarity.Cosine"/>.</summary>
    public ItemSimilarity Similarity { get; init; } = ItemSimilarity.Cosine;

    /// <summary>BM25 term-frequency saturation K1; ≥ 0. Default 1.2 (implicit's BM25Recommender).</summary>
    public float Bm25K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation B in 0..1. Default 0.75.</summary>
    public float Bm25B { get; init; } = 0.75f;

    /// <summary>Worker threads for the similarity computation; ≥ 1. Default: the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Neighbours < 1) throw new OptionOutOfRangeException(nameof(Neighbours), $"must be at least 1, got {Neighbours}.");
        if (!Enum.IsDefined(Similarity)) throw new ArgumentException($"Similarity {Similarity} is not an ItemSimilarity.");
        if (!float.IsFinite(Bm25K1) || Bm25K1 < 0) throw new OptionOutOfRangeException(nameof(Bm25K1), $"must be finite and ≥ 0, got {Bm25K1}.");
        if (!(Bm25B >= 0 && Bm25B <= 1)) throw new OptionOutOfRangeException(nameof(Bm25B), $"must be in 0..1, got {Bm25B}.");
        if (Threads < 1) throw new OptionOutOfRangeException(nameof(Threads), $"must be at least 1, got {Threads}.");
    }
}
