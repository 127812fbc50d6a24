namespace Earworm.Learning.Projection;

/// <summary>How the points of a t-SNE map start: the first two principal components (deterministic; scaled to a
/// standard deviation of 1e-4, as scikit-learn) or seeded Gaussian noise of the same scale.</summary>
public enum TsneInitialisation { Pca, Random }

/// <summary>
/// Options of exact t-SNE (van der Maaten &amp; Hinton, JMLR 2008) with the optimiser of van der Maaten's reference
/// implementation (and of scikit-learn): early exaggeration, momentum 0.5 then 0.8, per-coordinate gains
/// (delta-bar-delta, +0.2 / ×0.8, at least 0.01).
/// </summary>
public sealed record TsneOptions
{
    /// <summary>Perplexity: the effective number of neighbours each point's Gaussian covers. Default 30. Lowered to
    /// (n − 1)/3 when the data have too few points for it.</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Gradient steps in all. Default 1000.</summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>Step size; null picks max(n / early exaggeration / 4, 50) (Belkina et al. 2019, scikit-learn's "auto").</summary>
    public double? LearningRate { get; init; }

    /// <summary>Factor on P during the first <see cref="ExaggerationIterations"/> steps. Default 12.</summary>
    public double EarlyExaggeration { get; init; } = 12;

    /// <summary>Steps with exaggeration and momentum 0.5. Default 250.</summary>
    public int ExaggerationIterations { get; init; } = 250;

    public TsneInitialisation Initialisation { get; init; } = TsneInitialisation.Pca;

    /// <summary>Barnes-Hut's angle θ (van der Maaten 2014): 0 forces exact t-SNE; default 0.5.</summary>
    public double Theta { get; init; } = 0.5;

    /// <summary>Exact t-SNE up to this many points (O(n²) memory: 1 000 points take 16 MB), Barnes-Hut above. Default 2 000.</summary>
    public int ExactUpTo { get; init; } = 2000;

    /// <summary>Seed of the random initialisation (and of the PCA start vector's tie-break).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(Perplexity > 0) || double.IsInfinity(Perplexity)) throw new ArgumentException($"Perplexity must be positive, got {Perplexity}.");
        if (Iterations < 1) throw new ArgumentException($"Iterations must be positive, got {Iterations}.");
        if (LearningRate is { } lr && !(lr > 0)) throw new ArgumentException($"LearningRate must be positive, got {lr}.");
        if (!(EarlyExaggeration >= 1)) throw new ArgumentException($"EarlyExaggeration must be at least 1, got {EarlyExaggeration}.");
        if (!(Theta >= 0) || Theta > 1) throw new ArgumentException($"Theta must lie in [0, 1], got {Theta}.");
        if (ExaggerationIterations < 0) throw new ArgumentException($"ExaggerationIterations must not be negative, got {ExaggerationIterations}.");
    }
}
