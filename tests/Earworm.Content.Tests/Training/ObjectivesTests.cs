using Earworm.Content.Training;
using static TorchSharp.torch;

namespace Earworm.Content.Tests.Training;

public sealed class ObjectivesTests
{
    public ObjectivesTests() => Torch.Load();

    [Fact]
    public void Nt_xent_of_orthogonal_pairs_matches_the_hand_computed_value()
    {
        using var scope = NewDisposeScope();
        // two tracks, each view equal to its pair, tracks orthogonal; τ = 1: each view sees its positive at cos 1 and
        // two negatives at cos 0 → loss = −log(e / (e + 2))
        var z = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        double expected = -Math.Log(Math.E / (Math.E + 2));
        Assert.Equal(expected, Objectives.NtXent(z, z, 1).item<float>(), 1e-5);
        // swapped pairs are worse
        var swapped = tensor(new float[] { 0, 1, 1, 0 }, [2, 2]);
        Assert.True(Objectives.NtXent(z, swapped, 1).item<float>() > expected);
        Assert.Equal(1.0, Objectives.PairAccuracy(z, z));
        Assert.Equal(0.0, Objectives.PairAccuracy(z, swapped));
    }

    [Fact]
    public void Vicreg_counts_distance_between_views_a_collapse_and_correlated_dimensions()
    {
        using var scope = NewDisposeScope();
        // collapse: four tracks, every output the same vector in 4 dimensions: no distance, no covariance, and each
        // dimension's standard deviation 0 (√10⁻⁴ = 0.01 with the guard) against the target 1 → 25 · 2 · (1 − 0.01)
        var collapsed = tensor(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0 }, [4, 4]);
        Assert.Equal(25 * 2 * (1 - 0.01), Objectives.VicReg(collapsed, collapsed).item<float>(), 1e-4);
        // four tracks on the four axes at distance 2 from the origin, each view equal to its pair: every dimension's
        // variance is 4 · 0.25 = 1 (its std, with the guard, just above the target: no hinge), and each off-diagonal
        // covariance 4 · −1/12 = −1/3: 12 of them squared, summed, over 4 dimensions
        var spread = tensor(new float[] { 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2 }, [4, 4]);
        double covariance = 12 * (1.0 / 9) / 4;
        Assert.Equal(2 * covariance, Objectives.VicReg(spread, spread).item<float>(), 1e-4);
        // the same views with their pairs swapped two by two: the mean squared difference over the 16 entries is
        // 8 · 4 / 16 = 2, times 25
        var swapped = tensor(new float[] { 0, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0 }, [4, 4]);
        Assert.Equal(25 * 2 + 2 * covariance, Objectives.VicReg(spread, swapped).item<float>(), 1e-4);
    }

    [Fact]
    public void Mse_normalises_the_target_and_cosine_proximity_ignores_length()
    {
        using var scope = NewDisposeScope();
        var output = tensor(new float[] { 1, 0 }, [1, 2]);
        Assert.Equal(0f, Objectives.Mse(output, tensor(new float[] { 3, 0 }, [1, 2])).item<float>(), 1e-6f);
        Assert.Equal(1f, Objectives.Mse(output, tensor(new float[] { 0, 5 }, [1, 2])).item<float>(), 1e-6f); // ((1)² + (1)²) / 2
        Assert.Equal(0f, Objectives.CosineProximity(output, tensor(new float[] { 7, 0 }, [1, 2])).item<float>(), 1e-6f);
        Assert.Equal(1f, Objectives.CosineProximity(output, tensor(new float[] { 0, 2 }, [1, 2])).item<float>(), 1e-6f);
    }

    [Fact]
    public void Supervised_contrastive_is_nt_xent_for_singleton_groups_and_rewards_a_group_that_lies_together()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var a = randn([6, 5], generator: g);
        var b = randn([6, 5], generator: g);
        Assert.Equal(Objectives.NtXent(a, b, 0.2).item<float>(), Objectives.SupervisedContrastive(a, b, [0, 1, 2, 3, 4, 5], 0.2).item<float>(), 5);
        // tracks 0 and 1 in one group: the loss is smaller when they lie together than when 1 lies by track 2
        var together = tensor(new float[] { 1, 0, 0, 0.95f, 0.1f, 0, 0, 0, 1, 0, 1, 0 }, [4, 3]);
        var togetherToo = tensor(new float[] { 0.98f, 0.05f, 0, 1, 0.05f, 0, 0, 0.1f, 1, 0.1f, 1, 0 }, [4, 3]);
        var apart = tensor(new float[] { 1, 0, 0, 0.1f, 0, 0.95f, 0, 0, 1, 0, 1, 0 }, [4, 3]);
        var apartToo = tensor(new float[] { 0.98f, 0.05f, 0, 0.05f, 0.1f, 1, 0, 0.1f, 1, 0.1f, 1, 0 }, [4, 3]);
        Assert.True(Objectives.SupervisedContrastive(together, togetherToo, [7, 7, 8, 9], 0.1).item<float>()
                    < Objectives.SupervisedContrastive(apart, apartToo, [7, 7, 8, 9], 0.1).item<float>());
    }
}
