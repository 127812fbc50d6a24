namespace Earworm.Learning.Hybrid;

/// <summary>The ranking loss of the hybrid factorisation.</summary>
public enum HybridLoss
{
    /// <summary>Bayesian Personalised Ranking (Rendle et al. 2009): one uniformly drawn negative per positive.</summary>
    Bpr,

    /// <summary>Weighted Approximate-Rank Pairwise (Weston, Bengio &amp; Usunier 2011): negatives drawn until one breaks
    /// the margin, the update weighted by the rank that implies; LightFM's default for top-of-list quality.</summary>
    Warp,
}

/// <summary>
/// Hyper-parameters of the hybrid factorisation (<see cref="HybridTrainer"/>). Defaults follow LightFM (Kula 2015) —
/// WARP with at most 10 draws, no regularisation by default beside a small one here that keeps rare features' vectors
/// from growing unchecked — with Earworm's 64 factors and half LightFM's Adagrad step (0.025), chosen on a validation
/// split (bench/README.md).
/// </summary>
public sealed record HybridOptions
{
    public static HybridOptions Default { get; } = new();

    /// <summary>Latent factors k; ≥ 1. Default 64.</summary>
    public int Factors { get; init; } = 64;

    /// <summary>Passes over the interactions; ≥ 1. Default 100: WARP with Adagrad is still learning the top of the list at
    /// 30 (Last.fm 2K warm, one split: NDCG@10 0.207 at 15 epochs, 0.216 at 30, 0.220 at 60, 0.222 at 100, 0.220 at 150,
    /// ALS 0.232), and the extra epochs cost time only.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Adagrad's step; &gt; 0. Default 0.025: on a validation split of Last.fm 2K's training part (seed 1, 100
    /// epochs) NDCG@10 was 0.150 at 0.0125, 0.161 at 0.025 and 0.155 at LightFM's 0.05, ALS 0.163 (a noisier step orders
    /// the top of the list worse; a smaller one has not converged in 100 epochs).</summary>
    public float LearningRate { get; init; } = 0.025f;

    /// <summary>L2 penalty on the user, identity and feature vectors each update touches; ≥ 0. Default 1e-6.</summary>
    public float Regularization { get; init; } = 1e-6f;

    public HybridLoss Loss { get; init; } = HybridLoss.Warp;

    /// <summary>WARP: the most negatives drawn for one positive; ≥ 1. Default 10 (LightFM's max_sampled).</summary>
    public int MaxSampled { get; init; } = 10;

    /// <summary>
    /// The chance that a training step leaves a featured item's identity vector out, so its features alone must
    /// place it — what a cold item has at prediction time (the input dropout of Volkovs, Yu &amp; Poutanen 2017,
    /// DropoutNet); in [0, 1). Default 0: on Last.fm 2K (one split each, play-count weighting) 0.5 gave warm NDCG@10
    /// 0.122 against 0.215 at 0, and the cold items did as well without it (cold-start NDCG@10 0.046 at 0).
    /// </summary>
    public float IdentityDropout { get; init; }

    /// <summary>Draw positives in proportion to 1 + ln(1 + count) — the confidence implicit ALS gives a play count (Hu,
    /// Koren &amp; Volinsky 2008) — instead of uniformly, so an artist played a thousand times weighs more than one
    /// played once. Default true.</summary>
    public bool CountWeighting { get; init; } = true;

    /// <summary>
    /// How the features' share of a played item's vector shrinks as its listeners grow: with c &gt; 0 the features weigh
    /// c / (c + n) for an item n listeners played in training, so a much-played item is placed by its own vector and a
    /// rarely played one leans on its features (LightFM's identity-plus-features where the identity dominates once it has
    /// data); an item no one has played keeps its features whole (it has nothing else). ≥ 0; default 0: no damping.
    /// </summary>
    public float FeatureDamping { get; init; }

    /// <summary>Worker threads; ≥ 1. With more than one the updates race without locks (Hogwild!, Niu et al. 2011).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Factors < 1) throw new OptionOutOfRangeException(nameof(Factors), $"must be at least 1, got {Factors}.");
        if (Epochs < 1) throw new OptionOutOfRangeException(nameof(Epochs), $"must be at least 1, got {Epochs}.");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0) throw new OptionOutOfRangeException(nameof(LearningRate), $"must be finite and > 0, got {LearningRate}.");
        if (!float.IsFinite(Regularization) || Regularization < 0) throw new OptionOutOfRangeException(nameof(Regularization), $"must be finite and ≥ 0, got {Regularization}.");
        if (!Enum.IsDefined(Loss)) throw new ArgumentException($"Loss {Loss} is not defined.");
        if (MaxSampled < 1) throw new OptionOutOfRangeException(nameof(MaxSampled), $"must be at least 1, got {MaxSampled}.");
        if (!(IdentityDropout is >= 0 and < 1)) throw new OptionOutOfRangeException(nameof(IdentityDropout), $"must be in [0, 1), got {IdentityDropout}.");
        if (!float.IsFinite(FeatureDamping) || FeatureDamping < 0) throw new OptionOutOfRangeException(nameof(FeatureDamping), $"must be finite and ≥ 0, got {FeatureDamping}.");
        if (Threads < 1) throw new OptionOutOfRangeException(nameof(Threads), $"must be at least 1, got {Threads}.");
    }
}
