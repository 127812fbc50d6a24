using Earworm.Content.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Tests.Network;

public sealed class AudioNetworkTests
{
    public AudioNetworkTests() => Torch.Load();

    [Fact]
    public void Maps_a_batch_of_log_mel_crops_to_unit_vectors()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        using var net = new AudioNetwork(new AudioNetworkOptions());
        net.eval();
        var x = randn(5, 128, 172) * 20 - 40;
        var y = net.forward(x);
        Assert.Equal(new long[] { 5, 64 }, y.shape);
        var norms = y.norm(1).data<float>().ToArray();
        Assert.All(norms, n => Assert.Equal(1f, n, 1e-4f));
        // global pooling: any length above the minimum is accepted
        Assert.Equal(new long[] { 2, 64 }, net.forward(randn(2, 128, 431)).shape);
    }

    [Fact]
    public void Shapes_and_sizes_match_the_anchor_networks()
    {
        // ANCHORS.md: the full network has 9.4 M parameters, the small one 0.94 M
        using var full = new AudioNetwork(AudioNetworkOptions.Full);
        using var small = new AudioNetwork(AudioNetworkOptions.Small);
        Assert.InRange(full.ParameterCount, 9_350_000, 9_450_000);
        Assert.InRange(small.ParameterCount, 930_000, 950_000);
        // 599 frames: 596 → pool 4 → 149 → 146 → 73 → 70 → 35 → 32 (cnn_bench.py's comments)
        Assert.Equal(32, AudioNetworkOptions.Full.StepsAfterConvolutions(599));
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 3, 512, 32 }, full.Features(randn(3, 128, 599)).shape);
    }

    [Fact]
    public void Global_pooling_concatenates_mean_max_and_l2_norm_over_time()
    {
        using var scope = NewDisposeScope();
        var f = tensor(new float[] { 1, 2, 2, 0, 3, 4 }, [1, 2, 3]);
        var p = AudioNetwork.Pool(f).data<float>().ToArray();
        Assert.Equal(new[] { 5f / 3, 7f / 3, 2, 4, 3, 5 }, p, new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Too_short_inputs_and_wrong_band_counts_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new AudioNetworkOptions { Frames = 20 }.Validate());
        Assert.True(new AudioNetworkOptions().MinimumFrames > 20);
        using var net = new AudioNetwork(Torch.Tiny());
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => net.forward(randn(2, 15, 48)));
    }

    [Fact]
    public void A_forward_and_backward_pass_gives_every_parameter_a_gradient()
    {
        using var scope = NewDisposeScope();
        using var net = new AudioNetwork(Torch.Tiny() with { BatchNorm = true });
        net.train();
        var loss = net.forward(randn(4, 16, 48)).sum(1).pow(2).mean() + net.forward(randn(4, 16, 48))[0, 0];
        loss.backward();
        foreach (var (name, p) in net.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }
    }
}

internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
