namespace Earworm.Learning.Embeddings;

/// <summary>
/// Hyper-parameters of track2vec, word2vec skip-gram with negative sampling over sequences of items
/// (Mikolov, Sutskever, Chen, Corrado &amp; Dean 2013, "Distributed Representations of Words and
/// Phrases and their Compositionality"). Defaults are gensim 4's <c>Word2Vec(sg=1, hs=0)</c>
/// defaults, which Deej-A.I.'s Track2Vec also used (100 dimensions).
/// </summary>
public sealed record Track2VecOptions
{
    public static Track2VecOptions Default { get; } = new();

    /// <summary>Vector size; ≥ 1. Default 100.</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>Largest distance between an item and a context item in its sequence; ≥ 1. Default 5.
    /// Each position uses a window drawn uniformly from 1..Window, as word2vec.c and gensim.</summary>
    public int Window { get; init; } = 5;

    /// <summary>Negative samples per (item, context) pair; ≥ 1. Default 5.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>Passes over the sequences; ≥ 1. Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Items seen fewer times than this get no vector and are left out of the sequences; ≥ 1. Default 5 (gensim's min_count).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>
    /// Frequent-item subsampling threshold t (gensim's <c>sample</c>): an item of frequency f = count/total
    /// is kept with probability (√(f/t) + 1)·t/f, capped at 1; 0 turns subsampling off. In [0, 1). Default 1e-3.
    /// </summary>
    public double Sample { get; init; } = 1e-3;

    /// <summary>Exponent of the unigram distribution negatives are drawn from; Mikolov et al.'s 0.75 by default.</summary>
    public double NegativeExponent { get; init; } = 0.75;

    /// <summary>Initial learning rate; &gt; 0. Default 0.025.</summary>
    public float LearningRate { get; init; } = 0.025f;

    /// <summary>Learning rate reached at the end of the last epoch (linear decay); in (0, LearningRate]. Default 1e-4.</summary>
    public float MinLearningRate { get; init; } = 1e-4f;

    /// <summary>Sequences are processed in jobs of about this many items, the unit of work of a thread (gensim's <c>batch_words</c>). Default 10 000.</summary>
    public int BatchWords { get; init; } = 10_000;

    /// <summary>
    /// Worker threads; ≥ 1. Default: the processor count. With more than one the updates race
    /// without locks (Hogwild!, as word2vec.c and gensim), so only single-threaded runs repeat exactly.
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initial vectors and of every job's sampler. Default 1 (gensim's).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Dimensions < 1) throw new OptionOutOfRangeException(nameof(Dimensions), $"must be at least 1, got {Dimensions}.");
        if (Window < 1) throw new OptionOutOfRangeException(nameof(Window), $"must be at least 1, got {Window}.");
        if (Negative < 1) throw new OptionOutOfRangeException(nameof(Negative), $"must be at least 1, got {Negative}.");
        if (Epochs < 1) throw new OptionOutOfRangeException(nameof(Epochs), $"must be at least 1, got {Epochs}.");
        if (MinCount < 1) throw new OptionOutOfRangeException(nameof(MinCount), $"must be at least 1, got {MinCount}.");
        if (!(Sample >= 0 && Sample < 1)) throw new OptionOutOfRangeException(nameof(Sample), $"must be in [0, 1), got {Sample}.");
        if (!double.IsFinite(NegativeExponent) || NegativeExponent < 0)
            throw new OptionOutOfRangeException(nameof(NegativeExponent), $"must be finite and ≥ 0, got {NegativeExponent}.");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0)
            throw new OptionOutOfRangeException(nameof(LearningRate), $"must be finite and > 0, got {LearningRate}.");
        if (!(MinLearningRate > 0 && MinLearningRate <= LearningRate))
            throw new OptionOutOfRangeException(nameof(MinLearningRate), $"must be in (0, LearningRate = {LearningRate}], got {MinLearningRate}.");
        if (BatchWords < 1) throw new OptionOutOfRangeException(nameof(BatchWords), $"must be at least 1, got {BatchWords}.");
        if (Threads < 1) throw new OptionOutOfRangeException(nameof(Threads), $"must be at least 1, got {Threads}.");
    }
}
