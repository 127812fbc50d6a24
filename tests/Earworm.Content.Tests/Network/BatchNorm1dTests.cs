using Earworm.Testing;
using TorchSharp;
using static TorchSharp.torch;
using EarwormBatchNorm = Earworm.Content.Network.BatchNorm1d;

namespace Earworm.Content.Tests.Network;

/// <summary>Earworm's batch norm behaves as TorchSharp's <c>nn.BatchNorm1d</c> and reads its saved weights.</summary>
public sealed class BatchNorm1dTests
{
    public BatchNorm1dTests() => Torch.Load();

    [Fact]
    public void Training_and_evaluation_match_torch_batch_norm()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        using var reference = nn.BatchNorm1d(6);
        using var ours = new EarwormBatchNorm(6);
        for (int step = 0; step < 4; step++)
        {
            var x = randn(8, 6, 20) * (step + 1) + step;
            AssertClose(reference.forward(x), ours.forward(x));
        }
        var state = ours.state_dict();
        Assert.Equal(4L, state["num_batches_tracked"].item<long>());
        AssertClose(reference.running_mean!, state["running_mean"]);
        AssertClose(reference.running_var!, state["running_var"]);
        reference.eval();
        ours.eval();
        var y = randn(3, 6, 11);
        AssertClose(reference.forward(y), ours.forward(y));
        Assert.Equal(4L, ours.state_dict()["num_batches_tracked"].item<long>()); // evaluation leaves the statistics alone
    }

    [Fact]
    public void Weights_saved_with_torch_batch_norm_load()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        torch.manual_seed(9);
        using var reference = nn.Sequential(("conv", nn.Conv1d(3, 4, 2)), ("bn", nn.BatchNorm1d(4)));
        reference.forward(randn(5, 3, 9)); // moves the running statistics
        var path = dir.File("bn.dat");
        reference.save(path);
        using var ours = nn.Sequential(("conv", nn.Conv1d(3, 4, 2)), ("bn", new EarwormBatchNorm(4)));
        ours.load(path);
        reference.eval();
        ours.eval();
        var x = randn(2, 3, 9);
        AssertClose(reference.forward(x), ours.forward(x));
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.detach().data<float>().ToArray();
        var a = actual.detach().data<float>().ToArray();
        for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], a[i], 1e-4f);
    }
}
