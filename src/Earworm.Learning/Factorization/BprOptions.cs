namespace Earworm.Learning.Factorization;

/// <summary>Where BPR draws its negative (not played) item from.</summary>
public enum NegativeSampling
{
    /// <summary>Uniformly over all items, as in Rendle et al.'s LearnBPR.</summary>
    Uniform,

    /// <summary>
    /// In proportion to item popularity (the item of a uniformly drawn interaction), as
    /// benfred/implicit's <c>bpr_update</c> does; pushes popular items down harder.
    /// </summary>
    Popularity,
}

/// <summary>
/// Hyper-parameters of BPR-MF (Rendle, Freudenthaler, Gantner &amp; Schmidt-Thieme 2009, "BPR:
/// Bayesian Personalized Ranking from Implicit Feedback", UAI). Defaults follow benfred/implicit's
/// <c>BayesianPersonalizedRanking</c> except <see cref="Factors"/> (64, Earworm's space size).
/// </summary>
public sealed record BprOptions
{
    public static BprOptions Default { get; } = new();

    /// <summary>Number of latent factors k (an item bias is learned besides); ≥ 1. Default 64.</summary>
    public int Factors { get; init; } = 64;

    /// <summary>SGD step size; &gt; 0. Default 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>L2 penalty applied to the factors and biases touched by each update; ≥ 0. Default 0.01.</summary>
    public float Regularization { get; init; } = 0.01f;

    /// <summary>Epochs; each draws as many (user, positive, negative) triples as there are interactions. ≥ 1. Default 100.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Negative sampling scheme. Default <see cref="NegativeSampling.Uniform"/>.</summary>
    public NegativeSampling NegativeSampling { get; init; } = NegativeSampling.Uniform;

    /// <summary>Skip a triple whose "negative" the user has in fact played (implicit's <c>verify_negative_samples</c>). Default true.</summary>
    public bool VerifyNegativeSamples { get; init; } = true;

    /// <summary>
    /// Worker threads; ≥ 1. Default: the processor count. With more than one the updates race
    /// without locks (Hogwild!, Niu et al. 2011), so runs with the same seed agree only in distribution.
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initial factors and of every thread's sampler. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Factors < 1) throw new OptionOutOfRangeException(nameof(Factors), $"must be at least 1, got {Factors}.");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0)
            throw new OptionOutOfRangeException(nameof(LearningRate), $"must be finite and > 0, got {LearningRate}.");
        if (!float.IsFinite(Regularization) || Regularization < 0)
            throw new OptionOutOfRangeException(nameof(Regularization), $"must be finite and ≥ 0, got {Regularization}.");
        if (Epochs < 1) throw new OptionOutOfRangeException(nameof(Epochs), $"must be at least 1, got {Epochs}.");
        if (!Enum.IsDefined(NegativeSampling)) throw new ArgumentException($"NegativeSampling {NegativeSampling} is not defined.");
        if (Threads < 1) throw new OptionOutOfRangeException(nameof(Threads), $"must be at least 1, got {Threads}.");
    }
}
