using Earworm.Content.Native;
using static TorchSharp.torch;

namespace Earworm.Content.Training;

/// <summary>What the network learns to place tracks by.</summary>
public enum AudioObjective
{
    /// <summary>Regress the collaborative-filtering item factors, unit-normalised, with MSE (van den Oord, Dieleman
    /// &amp; Schrauwen 2013; Dieleman 2014).</summary>
    Cf,

    /// <summary>Cosine proximity to the track2vec vectors (Deej-A.I.).</summary>
    Track2Vec,

    /// <summary>Self-supervised: two augmented crops of a track are positives, the other tracks of the batch negatives
    /// (NT-Xent, Chen et al. 2020 "SimCLR"). Needs no listening data.</summary>
    Contrastive,
}

/// <summary>What the contrastive objective minimises over the pairs of crops.</summary>
public enum PairLoss
{
    /// <summary>NT-Xent: each crop against its pair and every other crop of the batch (SimCLR).</summary>
    NtXent,

    /// <summary>VICReg: invariance, variance and covariance terms, no negatives (<see cref="Objectives.VicReg"/>).</summary>
    VicReg,
}

/// <summary>The objectives' losses on batches of unit-length outputs. Constants enter as tensors, not as implicit
/// <c>Scalar</c>s, which the garbage collector can finalise while a native call still reads them (see
/// <see cref="Native.LiveScalars"/>).</summary>
public static class Objectives
{
    /// <summary>The catalog space whose vectors are an objective's targets (null: none).</summary>
    public static string? TargetSpace(AudioObjective objective) => objective switch
    {
        AudioObjective.Cf => "cf",
        AudioObjective.Track2Vec => "track2vec",
        _ => null,
    };

    /// <summary>Mean squared error between the outputs <c>(B, D)</c> and the unit-normalised targets <c>(B, D)</c>
    /// (mean over all B·D values, as PyTorch's MSELoss).</summary>
    public static Tensor Mse(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        return nn.functional.mse_loss(output, nn.functional.normalize(target, 2, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>Cosine proximity: 1 − mean cosine between outputs and targets (0 when aligned).</summary>
    public static Tensor CosineProximity(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var meanCosine = (nn.functional.normalize(output, 2, 1) * nn.functional.normalize(target, 2, 1)).sum(1).mean();
        return (ones_like(meanCosine) - meanCosine).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NT-Xent (normalised temperature-scaled cross entropy): <paramref name="first"/> and <paramref name="second"/>
    /// are <c>(B, D)</c> views of the same B tracks. For each of the 2B views, its pair is the positive and the other
    /// 2B − 2 views the negatives: loss = mean over views of −log(exp(s⁺/τ) / Σ_{k≠i} exp(s_ik/τ)), s the cosine.
    /// </summary>
    public static Tensor NtXent(Tensor first, Tensor second, double temperature)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        using var scope = NewDisposeScope();
        long b = first.shape[0];
        var z = nn.functional.normalize(cat([first, second], 0), 2, 1);
        var sim = z.mm(z.t()) / tensor((float)temperature, device: z.device);
        var self = eye(2 * b, dtype: ScalarType.Bool, device: sim.device);
        sim = where(self, tensor(-1e9f, device: sim.device), sim);
        var targets = cat([arange(b, 2 * b, dtype: ScalarType.Int64), arange(0, b, dtype: ScalarType.Int64)], 0);
        return nn.functional.cross_entropy(sim, targets).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Supervised contrastive loss (Khosla et al. 2020, "Supervised Contrastive Learning", L_out): as
    /// <see cref="NtXent"/>, but every other view of the same group (a soundtrack, an album) is a positive too:
    /// loss = mean over views i of −1/|P(i)| Σ_{p ∈ P(i)} log(exp(s_ip/τ) / Σ_{k≠i} exp(s_ik/τ)). Views of one track
    /// are always in one group, so a batch of singleton groups gives NT-Xent.
    /// </summary>
    /// <param name="groups">The group of each of the B tracks.</param>
    public static Tensor SupervisedContrastive(Tensor first, Tensor second, IReadOnlyList<int> groups, double temperature)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        ArgumentNullException.ThrowIfNull(groups);
        using var scope = NewDisposeScope();
        long b = first.shape[0];
        if (groups.Count != b) throw new ArgumentException($"{groups.Count} groups for {b} tracks", nameof(groups));
        var z = nn.functional.normalize(cat([first, second], 0), 2, 1);
        var sim = z.mm(z.t()) / tensor((float)temperature, device: z.device);
        var self = eye(2 * b, dtype: ScalarType.Bool, device: sim.device);
        sim = where(self, tensor(-1e9f, device: sim.device), sim);
        var logProb = sim - sim.logsumexp(1, keepdim: true);
        var g = tensor(groups.Concat(groups).Select(x => (long)x).ToArray(), device: z.device);
        var positive = g.unsqueeze(1).eq(g.unsqueeze(0)).logical_and(self.logical_not()).to_type(ScalarType.Float32);
        var perView = (logProb * positive).sum(1) / positive.sum(1);
        return perView.mean().neg().MoveToOuterDisposeScope();
    }

    /// <summary>The fraction of first views whose nearest second view (cosine) is the same track's.</summary>
    /// <summary>
    /// VICReg (Bardes, Ponce &amp; LeCun 2022, "Variance-invariance-covariance regularization for self-supervised
    /// learning"): no negatives; the two views of a track are pulled together (mean squared distance), every output
    /// dimension is kept spread over the batch (a hinge on its standard deviation) and the dimensions decorrelated
    /// (squared off-diagonal covariances), for each view. The paper's weights, 25 / 25 / 1, and its target standard
    /// deviation 1: the outputs as the last layer gives them, not unit length.
    /// </summary>
    public static Tensor VicReg(Tensor first, Tensor second)
    {
        using var scope = NewDisposeScope();
        long b = first.shape[0], d = first.shape[1];
        var device = first.device;
        var target = tensor(1f, device: device);
        var offDiagonal = ones(d, d, device: device) - eye(d, device: device);
        Tensor Spread(Tensor z) => nn.functional.relu(target - z.var(0).Plus(tensor(1e-4f, device: device)).sqrt()).mean();
        Tensor Correlation(Tensor z)
        {
            var centred = z - z.mean([0], keepdim: true);
            var covariance = centred.t().mm(centred) / tensor((float)Math.Max(1, b - 1), device: device);
            return (covariance * offDiagonal).square().sum() / tensor((float)d, device: device);
        }
        var invariance = (first - second).square().mean();
        var loss = (tensor(25f, device: device) * invariance).Plus(tensor(25f, device: device) * Spread(first).Plus(Spread(second)))
                   .Plus(Correlation(first)).Plus(Correlation(second));
        return loss.MoveToOuterDisposeScope();
    }

    public static double PairAccuracy(Tensor first, Tensor second)
    {
        using var scope = NewDisposeScope();
        var sim = nn.functional.normalize(first, 2, 1).mm(nn.functional.normalize(second, 2, 1).t());
        var best = sim.argmax(1);
        var hits = best.eq(arange(first.shape[0], dtype: ScalarType.Int64)).to_type(ScalarType.Float32).mean();
        return hits.item<float>();
    }
}
