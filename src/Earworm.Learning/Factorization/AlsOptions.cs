namespace Earworm.Learning.Factorization;

/// <summary>How a play count r becomes the confidence c of Hu, Koren &amp; Volinsky (2008).</summary>
public enum ConfidenceScaling
{
    /// <summary>c = 1 + α·r (their eq. 1).</summary>
    Linear,

    /// <summary>c = 1 + α·log(1 + r/ε) (their eq. 6), which tames very large counts.</summary>
    Log,
}

/// <summary>How each ALS half-step solves its k × k least-squares systems.</summary>
public enum AlsSolver
{
    /// <summary>
    /// A few conjugate-gradient steps per user (or item), warm-started from the previous
    /// iteration's factors, never forming the k × k matrix (Takács, Pilászy &amp; Tikk 2011;
    /// benfred/implicit's <c>least_squares_cg</c>). O(n·k·steps) per row.
    /// </summary>
    ConjugateGradient,

    /// <summary>
    /// The exact solve: form YᵀCᵤY + λI and factor it by Cholesky (Hu et al.'s direct method,
    /// implicit's <c>least_squares</c>). O(n·k² + k³) per row; the reference the CG solver is tested against.
    /// </summary>
    Cholesky,
}

/// <summary>
/// Hyper-parameters of implicit-feedback ALS (Hu, Koren &amp; Volinsky 2008, "Collaborative
/// Filtering for Implicit Feedback Datasets"). Defaults follow benfred/implicit 0.7 except
/// <see cref="Factors"/> (64, the size Earworm's spaces use).
/// </summary>
public sealed record AlsOptions
{
    public static AlsOptions Default { get; } = new();

    /// <summary>Number of latent factors k; ≥ 1. Default 64.</summary>
    public int Factors { get; init; } = 64;

    /// <summary>λ, the L2 penalty added as λ·I to every k × k system (not scaled by the row's length, as implicit). ≥ 0. Default 0.01.</summary>
    public float Regularization { get; init; } = 0.01f;

    /// <summary>α in c = 1 + α·r (or 1 + α·log(1 + r/ε)); ≥ 0. Default 1 (Hu et al. found 40 best on their TV data; tune it).</summary>
    public float Alpha { get; init; } = 1f;

    /// <summary>How counts become confidences. Default <see cref="ConfidenceScaling.Linear"/>.</summary>
    public ConfidenceScaling Scaling { get; init; } = ConfidenceScaling.Linear;

    /// <summary>ε of the log scaling, in count units; &gt; 0. Default 1 (one play gives α·log 2).</summary>
    public float LogEpsilon { get; init; } = 1f;

    /// <summary>Full iterations (a user half-step then an item half-step); ≥ 1. Default 15.</summary>
    public int Iterations { get; init; } = 15;

    /// <summary>Solver of the half-steps. Default <see cref="AlsSolver.ConjugateGradient"/>.</summary>
    public AlsSolver Solver { get; init; } = AlsSolver.ConjugateGradient;

    /// <summary>Conjugate-gradient steps per row and half-step; ≥ 1. Default 3 (implicit's <c>cg_steps</c>).</summary>
    public int ConjugateGradientSteps { get; init; } = 3;

    /// <summary>
    /// Compute the weighted loss after each iteration (an extra pass over the data, about the cost
    /// of one CG step) and report it in <see cref="TrainingProgress.Loss"/>. Default false
    /// (implicit's <c>calculate_training_loss</c>).
    /// </summary>
    public bool CalculateTrainingLoss { get; init; }

    /// <summary>Factors start uniform in [0, InitialScale) as implicit's <c>rand(...) * 0.01</c>; &gt; 0. Default 0.01.</summary>
    public float InitialScale { get; init; } = 0.01f;

    /// <summary>Worker threads of the half-steps; ≥ 1. Default: the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initial factors. The result does not depend on <see cref="Threads"/>. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>c − 1 for a count r under these options (the part of the confidence above the baseline 1).</summary>
    public float ConfidenceMinusOne(float count) => Scaling switch
    {
        ConfidenceScaling.Log => Alpha * MathF.Log(1 + count / LogEpsilon),
        _ => Alpha * count,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Factors < 1) throw new OptionOutOfRangeException(nameof(Factors), $"must be at least 1, got {Factors}.");
        if (!float.IsFinite(Regularization) || Regularization < 0)
            throw new OptionOutOfRangeException(nameof(Regularization), $"must be finite and ≥ 0, got {Regularization}.");
        if (!float.IsFinite(Alpha) || Alpha < 0) throw new OptionOutOfRangeException(nameof(Alpha), $"must be finite and ≥ 0, got {Alpha}.");
        if (!Enum.IsDefined(Scaling)) throw new ArgumentException($"Scaling {Scaling} is not a ConfidenceScaling.");
        if (!float.IsFinite(LogEpsilon) || LogEpsilon <= 0)
            throw new OptionOutOfRangeException(nameof(LogEpsilon), $"must be finite and > 0, got {LogEpsilon}.");
        if (Iterations < 1) throw new OptionOutOfRangeException(nameof(Iterations), $"must be at least 1, got {Iterations}.");
        if (!Enum.IsDefined(Solver)) throw new ArgumentException($"Solver {Solver} is not an AlsSolver.");
        if (ConjugateGradientSteps < 1)
            throw new OptionOutOfRangeException(nameof(ConjugateGradientSteps), $"must be at least 1, got {ConjugateGradientSteps}.");
        if (!float.IsFinite(InitialScale) || InitialScale <= 0)
            throw new OptionOutOfRangeException(nameof(InitialScale), $"must be finite and > 0, got {InitialScale}.");
        if (Threads < 1) throw new OptionOutOfRangeException(nameof(Threads), $"must be at least 1, got {Threads}.");
    }
}
